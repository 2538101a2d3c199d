package dev.ferry.controller.cni;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A network configuration as the runtime passes it on stdin, with Ferry's keys:
 *
 * <pre>{"cniVersion": "1.0.0", "name": "blue", "type": "ferry",
 *  "url": "http://10.0.0.1:8080", "tokenFile": "/etc/ferry/cni-token", "network": "blue-net",
 *  "host": "node1", "ovsdb": "unix:/run/openvswitch/db.sock", "mtu": 1400, "ipam": {"type": "ferry"}}</pre>
 *
 * @param network the Ferry network's id or name
 * @param host this host's name in Ferry (default: the kernel's hostname)
 * @param tokenFile a file holding the bearer token (null: no Authorization header)
 * @param ovsdb the ovsdb remote holding br-int (null: ovs-vsctl's default)
 * @param mtu overrides the network's MTU when positive
 * @param prevResult the previous plugin's (or, for CHECK and DEL, the cached) result; null if none
 * @param raw the whole document (GC reads cni.dev/valid-attachments from it)
 */
public record CniConfig(String cniVersion, String name, String url, String tokenFile, String network, String host,
    String ovsdb, int mtu, JsonNode prevResult, JsonNode raw) {

  /** The versions this plugin speaks, oldest first (VERSION prints them). */
  public static final List<String> SUPPORTED = List.of("0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0");

  public static CniConfig parse(JsonNode c, String defaultHost) {
    if (c == null || !c.isObject()) {
      throw new CniError(CniError.DECODE_FAILURE, "network configuration on stdin is not a JSON object");
    }
    String version = required(c, "cniVersion");
    if (!SUPPORTED.contains(version)) {
      throw new CniError(CniError.INCOMPATIBLE_VERSION, "cniVersion " + version + " is not supported",
          "supported: " + String.join(", ", SUPPORTED));
    }
    JsonNode ipam = c.path("ipam");
    if (!ipam.isMissingNode() && !ipam.isNull() && ipam.has("type") && !"ferry".equals(ipam.path("type").asText())) {
      throw new CniError(CniError.UNSUPPORTED_FIELD, "ipam.type " + ipam.path("type").asText()
          + " is not supported: addresses come from Ferry (the port's IP); leave ipam out or set {\"type\": \"ferry\"}");
    }
    JsonNode mtu = c.path("mtu");
    if (!mtu.isMissingNode() && !(mtu.canConvertToInt() && mtu.asInt() >= 576 && mtu.asInt() <= 9000)) {
      throw new CniError(CniError.INVALID_CONFIG, "mtu must be a number in 576..9000, not " + mtu);
    }
    String url = required(c, "url");
    if (!url.startsWith("http://") && !url.startsWith("https://")) {
      throw new CniError(CniError.INVALID_CONFIG, "url must be Ferry's REST base URL (http:// or https://), not " + url);
    }
    JsonNode prev = c.get("prevResult");
    return new CniConfig(version, required(c, "name"), url, optional(c, "tokenFile"), required(c, "network"),
        optional(c, "host") != null ? optional(c, "host") : defaultHost, optional(c, "ovsdb"), mtu.asInt(0),
        prev == null || prev.isNull() ? null : prev, c);
  }

  /** Versions before 1.0.0 write "version": "4" in each IP entry. */
  public boolean legacyResult() {
    return !cniVersion.startsWith("1.");
  }

  private static String required(JsonNode c, String field) {
    JsonNode v = c.get(field);
    if (v == null || !v.isTextual() || v.asText().isBlank()) {
      throw new CniError(CniError.INVALID_CONFIG, "network configuration needs \"" + field + "\" (a non-empty string)");
    }
    return v.asText();
  }

  private static String optional(JsonNode c, String field) {
    JsonNode v = c.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual() || v.asText().isBlank()) {
      throw new CniError(CniError.INVALID_CONFIG, "\"" + field + "\" must be a non-empty string");
    }
    return v.asText();
  }
}
