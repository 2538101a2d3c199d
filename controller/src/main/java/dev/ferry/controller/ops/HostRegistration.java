package dev.ferry.controller.ops;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.controller.cli.CtlClient;
import java.util.LinkedHashMap;
import java.util.Map;

/** Registers a host with Ferry: create when absent, PATCH only what differs, else nothing. */
public final class HostRegistration {
  private HostRegistration() {}

  public enum Outcome { CREATED, UPDATED, UP_TO_DATE }

  /** The fields to change on an existing host (empty: it is up to date). Pure. */
  static Map<String, Object> changes(JsonNode existing, String datapathId, String tunnelIp) {
    Map<String, Object> out = new LinkedHashMap<>();
    if (!datapathId.equalsIgnoreCase(existing.path("datapath_id").asText())) {
      out.put("datapath_id", datapathId);
    }
    if (!tunnelIp.equals(existing.path("tunnel_ip").asText())) {
      out.put("tunnel_ip", tunnelIp);
    }
    return out;
  }

  public static Outcome ensure(CtlClient api, String name, String datapathId, String tunnelIp, boolean dryRun) {
    JsonNode existing;
    try {
      existing = api.call("GET", "/v1/hosts/" + name, null, null);
    } catch (CtlClient.ApiFailure f) {
      if (f.status != 404) {
        throw f;
      }
      if (!dryRun) {
        api.call("POST", "/v1/hosts", Map.of("name", name, "datapath_id", datapathId, "tunnel_ip", tunnelIp), null);
      }
      return Outcome.CREATED;
    }
    Map<String, Object> changes = changes(existing, datapathId, tunnelIp);
    if (changes.isEmpty()) {
      return Outcome.UP_TO_DATE;
    }
    if (!dryRun) {
      api.call("PATCH", "/v1/hosts/" + name, changes, null);
    }
    return Outcome.UPDATED;
  }
}
