package dev.ferry.controller.rest;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.ferry.controller.store.ExternalPool;
import dev.ferry.controller.store.Rejection;
import dev.ferry.controller.store.Resource;
import dev.ferry.controller.store.Store;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.List;

/**
 * /v1/external_pools: the operator's external address pools that floating IPs come from.
 * Written by the admin only; tenants may read them (to pick a pool to allocate from).
 */
final class ExternalPoolRoutes implements RestRoutes, ResourceRoutes.Spec<ExternalPool, ExternalPoolRoutes.Input> {

  @JsonIgnoreProperties({"revision"})
  record Input(String name, String cidr, List<ExternalPool.Range> ranges) {}

  record View(String name, String cidr, List<ExternalPool.Range> ranges, long revision) {}

  private final Store store;

  ExternalPoolRoutes(Store store) {
    this.store = store;
  }

  @Override
  public void register(Javalin app) {
    new ResourceRoutes<>(store, Resource.POOLS, "/v1/external_pools", Input.class, this).register(app);
  }

  @Override
  public Principal caller(Context ctx, boolean write) {
    return write ? RestAuth.requireAdmin(ctx) : RestAuth.principal(ctx);
  }


  @Override
  public Input inputOf(ExternalPool p) {
    return new Input(p.name(), p.cidr(), p.ranges());
  }

  @Override
  public ExternalPool toRecord(Principal p, Input in, ExternalPool old) {
    if (old == null) {
      return new ExternalPool(in.name(), in.cidr(), in.ranges(), 0);
    }
    if (in.name() != null && !in.name().equals(old.name())) {
      throw Rejection.invalid("name", "body name '" + in.name() + "' differs from the path; pools cannot be renamed");
    }
    return new ExternalPool(old.name(), in.cidr(), in.ranges(), 0);
  }

  @Override
  public View view(ExternalPool p) {
    return new View(p.name(), p.cidr(), p.ranges(), p.revision());
  }
}
