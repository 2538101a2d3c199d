package dev.ferry.controller.rest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.controller.store.Rejection;
import dev.ferry.controller.store.Resource;
import dev.ferry.controller.store.Store;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.Map;
import java.util.function.BiPredicate;

/**
 * The routes every stored kind has, in one shape: {@code GET path} (list, with checked filters),
 * {@code POST path}, and {@code GET/PUT/PATCH/DELETE path/{id}} (ETag and If-Match carry the
 * revision; PATCH is a JSON merge patch onto the current object's input). Driven by the store's
 * {@link Resource} (id, revision, the noun errors use) and a {@link Spec}, which says only what
 * is particular to the kind. An object the caller may not see reads exactly like one that does
 * not exist (404).
 */
final class ResourceRoutes<T, I> implements RestRoutes {

  /** What one kind's API adds to the shape. */
  interface Spec<T, I> {
    /** The caller, once it may use these routes for reading or writing (else 401/403). */
    default Principal caller(Context ctx, boolean write) {
      return RestAuth.principal(ctx);
    }

    /** Whether the caller may see this object (a tenant: its own). */
    default boolean sees(Principal p, T t) {
      return true;
    }

    /** The list's filters by query parameter: does the object match the value given. */
    default Map<String, BiPredicate<T, String>> filters() {
      return Map.of();
    }

    /** The input the current object reads as (what a PATCH merges into). */
    I inputOf(T current);

    /**
     * The record a create ({@code old} null) or update asks the store for, after the caller's
     * scope checks (which tenant, who may set which field, no renaming).
     */
    T toRecord(Principal p, I in, T old);

    default T create(Store store, Resource<T> kind, T record, I in) {
      return store.create(kind, record);
    }

    default T update(Store store, Resource<T> kind, T record, I in, Long ifMatch) {
      return store.update(kind, record, ifMatch);
    }

    Object view(T t);

    /** False for kinds created and deleted only (no PUT or PATCH route). */
    default boolean updatable() {
      return true;
    }
  }

  private final Store store;
  private final Resource<T> kind;
  private final String path;
  private final Class<I> input;
  private final Spec<T, I> spec;

  /** @param input the request body's record (the JSON fields a client may send) */
  ResourceRoutes(Store store, Resource<T> kind, String path, Class<I> input, Spec<T, I> spec) {
    this.store = store;
    this.kind = kind;
    this.path = path;
    this.input = input;
    this.spec = spec;
  }

  @Override
  public void register(Javalin app) {
    app.get(path, this::list);
    app.post(path, this::create);
    app.get(path + "/{id}", this::get);
    if (spec.updatable()) {
      app.put(path + "/{id}", ctx -> update(ctx, false));
      app.patch(path + "/{id}", ctx -> update(ctx, true));
    }
    app.delete(path + "/{id}", this::delete);
  }

  private void list(Context ctx) {
    Principal p = spec.caller(ctx, false);
    Map<String, BiPredicate<T, String>> filters = spec.filters();
    Requests.onlyFilters(ctx, filters.keySet().toArray(String[]::new));
    ctx.json(store.list(kind).stream()
        .filter(t -> spec.sees(p, t))
        .filter(t -> filters.entrySet().stream().allMatch(f -> {
          String wanted = ctx.queryParam(f.getKey());
          return wanted == null || f.getValue().test(t, wanted);
        }))
        .map(spec::view).toList());
  }

  private void create(Context ctx) {
    Principal p = spec.caller(ctx, true);
    I in = Json.bind(Json.object(ctx.body()), input);
    T t = spec.create(store, kind, spec.toRecord(p, in, null), in);
    Requests.created(ctx, path + "/" + kind.idOf(t), kind.revisionOf(t), spec.view(t));
  }

  /** The object in the path, if the caller may see it; 404 otherwise. */
  T visible(Context ctx, Principal p) {
    String id = ctx.pathParam("id");
    return store.get(kind, id).filter(t -> spec.sees(p, t)).orElseThrow(() -> Rejection.notFound(kind.noun(), id));
  }

  private void get(Context ctx) {
    T t = visible(ctx, spec.caller(ctx, false));
    Requests.ok(ctx, kind.revisionOf(t), spec.view(t));
  }

  private void update(Context ctx, boolean patch) {
    Principal p = spec.caller(ctx, true);
    T old = visible(ctx, p);
    ObjectNode body = Json.object(ctx.body());
    if (patch) {
      body = Json.mergePatch(Json.tree(spec.inputOf(old)), body);
    }
    I in = Json.bind(body, input);
    T t = spec.update(store, kind, spec.toRecord(p, in, old), in, Requests.ifMatch(ctx));
    Requests.ok(ctx, kind.revisionOf(t), spec.view(t));
  }

  private void delete(Context ctx) {
    Principal p = spec.caller(ctx, true);
    String id = ctx.pathParam("id");
    boolean visible = store.get(kind, id).filter(t -> spec.sees(p, t)).isPresent();
    Requests.deleted(ctx, visible && store.delete(kind, id, Requests.ifMatch(ctx)), kind.noun(), id);
  }
}
