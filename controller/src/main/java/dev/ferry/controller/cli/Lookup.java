package dev.ferry.controller.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/**
 * Names where ids are accepted: {@code ferryctl port show a1 --network web}. An argument that
 * is an object's id is used as is; otherwise a unique name among what the caller may list
 * (narrowed by the scope's filters) stands for that object's id. An ambiguous name is a usage
 * error naming the filter that narrows it; an unknown one is passed on, so the API's 404 says
 * what it says for any missing object (a tenant learns nothing of others' names).
 */
final class Lookup {

  private Lookup() {}

  /**
   * @param collection the list endpoint, e.g. "/v1/ports"
   * @param what the kind, for messages ("port")
   * @param narrowing the option that narrows an ambiguous name, for messages ("--network")
   * @param filters query filters, name/value pairs (nulls skipped)
   */
  static String id(FerryCtl root, CommandLine cmd, String collection, String what, String narrowing,
      String idOrName, String... filters) {
    JsonNode all = root.client().call("GET", collection + Query.of(filters), null, null);
    List<String> named = new ArrayList<>();
    for (JsonNode o : all) {
      if (o.path("id").asText().equals(idOrName)) {
        return idOrName;
      }
      if (o.path("name").asText().equals(idOrName)) {
        named.add(o.path("id").asText());
      }
    }
    if (named.size() > 1) {
      throw new CommandLine.ParameterException(cmd, "the name '" + idOrName + "' is shared by " + named.size()
          + " " + what + "s: give " + (narrowing == null ? "its id" : narrowing + " or its id"));
    }
    return named.isEmpty() ? idOrName : named.get(0);
  }

  /** A network by id or name (optionally within a tenant, itself by id or name). */
  static String network(FerryCtl root, CommandLine cmd, String network, String tenant) {
    if (network == null) {
      return null;
    }
    return id(root, cmd, "/v1/networks", "network", "--tenant", network, "tenant", tenant(root, cmd, tenant));
  }

  /** A tenant by id or name; a tenant token cannot list tenants, so its argument is used as given. */
  static String tenant(FerryCtl root, CommandLine cmd, String tenant) {
    if (tenant == null) {
      return null;
    }
    try {
      return id(root, cmd, "/v1/tenants", "tenant", null, tenant);
    } catch (CtlClient.ApiFailure forbidden) {
      return tenant;
    }
  }

  /** A port by id or name, optionally within a network (by id or name). */
  static String port(FerryCtl root, CommandLine cmd, String port, String network) {
    return id(root, cmd, "/v1/ports", "port", "--network", port, "network", network(root, cmd, network, null));
  }
}
