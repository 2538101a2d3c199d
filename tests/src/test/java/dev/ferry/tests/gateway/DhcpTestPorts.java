package dev.ferry.tests.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.tests.scenario.OverlayLab;

/** Looks ports up by name through REST. */
final class DhcpTestPorts {
  private DhcpTestPorts() {}

  static String id(OverlayLab f, String name) {
    for (JsonNode p : f.api().get("/v1/ports")) {
      if (name.equals(p.path("name").asText())) {
        return p.path("id").asText();
      }
    }
    throw new AssertionError("no port " + name);
  }
}
