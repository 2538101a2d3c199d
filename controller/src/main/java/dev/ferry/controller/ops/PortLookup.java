package dev.ferry.controller.ops;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.controller.cli.CtlClient;
import java.util.Optional;

/** Finds a network (by id or name) and a port in it (by name) through REST. */
public final class PortLookup {
  private PortLookup() {}

  public static JsonNode network(CtlClient api, String idOrName) {
    try {
      return api.call("GET", "/v1/networks/" + idOrName, null, null);
    } catch (CtlClient.ApiFailure f) {
      if (f.status != 404) {
        throw f;
      }
    }
    for (JsonNode n : api.call("GET", "/v1/networks", null, null)) {
      if (idOrName.equals(n.path("name").asText())) {
        return n;
      }
    }
    throw new IllegalArgumentException("no network with id or name '" + idOrName + "'");
  }

  public static Optional<JsonNode> port(CtlClient api, String networkId, String portName) {
    for (JsonNode p : api.call("GET", "/v1/ports?network=" + networkId, null, null)) {
      if (portName.equals(p.path("name").asText())) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }
}
