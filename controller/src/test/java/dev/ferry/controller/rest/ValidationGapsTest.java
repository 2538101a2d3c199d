package dev.ferry.controller.rest;

import static dev.ferry.controller.testing.Api.obj;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.controller.testing.Api;
import dev.ferry.controller.testing.FerryTestBase;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The validation gaps issue 11 found, one regression each: refused with the field named, nothing written. */
class ValidationGapsTest extends FerryTestBase {

  private String net;

  @BeforeEach
  void setUp() {
    createTenant("acme");
    createHost("h1", "0000000000000001", "192.0.2.1");
    net = createNetwork("acme", "10.0.0.0/24");
  }

  @Test
  void clearingTheGatewayNeverMovesItOntoAPortsAddress() {
    String other = created(admin.post("/v1/networks", obj("tenant", "acme", "cidr", "10.1.0.0/24",
        "gateway_ip", "10.1.0.254"))).text("id");
    created(createPort(other, "ip", "10.1.0.1"));
    Api.Response patched = admin.patch("/v1/networks/" + other, obj("gateway_ip", null));
    assertEquals(200, patched.status(), patched::toString);
    assertEquals("10.1.0.254", patched.text("gateway_ip"), "PATCH null keeps the gateway");
    Api.Response put = admin.put("/v1/networks/" + other, obj("cidr", "10.1.0.0/24"));
    assertEquals(200, put.status(), put::toString);
    assertEquals("10.1.0.254", put.text("gateway_ip"), "PUT without gateway_ip keeps it");
  }

  @Test
  void nullDnsServerIsA422() {
    assertRejected(422, "invalid_value", "dns_servers[0]", () -> admin.post("/v1/networks",
        obj("tenant", "acme", "cidr", "10.2.0.0/24", "dns_servers", Arrays.asList((Object) null))));
    assertRejected(422, "invalid_value", "dns_servers[1]", () -> admin.patch("/v1/networks/" + net,
        obj("dns_servers", Arrays.asList("9.9.9.9", null))));
  }

  @Test
  void namesWithControlBidiOrInvalidCharactersAreRefused() {
    for (String bad : List.of("a\u0000b", "line\nbreak", "cr\rx", "tab\tx", "esc\u001b[31m", "\u202egnp.exe",
        "iso\u2066x", "del\u007f", "bad\ufffdutf8")) {
      assertRejected(422, "invalid_value", "name", () -> admin.post("/v1/tenants", obj("name", bad)));
      assertRejected(422, "invalid_value", "name", () -> admin.post("/v1/networks",
          obj("tenant", "acme", "name", bad, "cidr", "10.3.0.0/24")));
      assertRejected(422, "invalid_value", "name", () -> createPort(net, "name", bad));
    }
    created(admin.post("/v1/tenants", obj("name", "Ünïcödé Inc 株式会社")));
  }

  @Test
  void invalidUtf8InABodyIsRefused() throws Exception {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes("{\"name\": \"ab".getBytes(StandardCharsets.UTF_8));
    body.write(0xc3); // a UTF-8 lead byte followed by '"': not UTF-8
    body.writeBytes("\"}".getBytes(StandardCharsets.UTF_8));
    var before = ferry.store().snapshot();
    HttpReply r = raw("POST /v1/tenants HTTP/1.1", body.toByteArray());
    boolean malformed = r.status == 400 && r.json().path("error").asText().equals("malformed_json");
    boolean badName = r.status == 422 && r.json().path("field").asText().equals("name");
    assertTrue(malformed || badName, r.toString());
    assertEquals(before, ferry.store().snapshot());
  }

  @Test
  void explicitVniZeroIsRefusedAbsentAllocates() {
    assertRejected(422, "invalid_value", "vni", () -> admin.post("/v1/networks",
        obj("tenant", "acme", "cidr", "10.4.0.0/24", "vni", 0)));
    assertEquals(2, created(admin.post("/v1/networks", obj("tenant", "acme", "cidr", "10.4.0.0/24")))
        .body().get("vni").asInt());
  }

  @Test
  void portMacsInFerrysReservedRangesAreRefused() {
    for (String mac : List.of("02:fe:00:00:00:01", "02:FD:00:00:00:01", "02-fe-12-34-56-78")) {
      assertRejected(422, "invalid_value", "mac", () -> createPort(net, "mac", mac));
    }
    created(createPort(net, "mac", "02:fc:00:00:00:01"));
  }

  @Test
  void tenantNetworksInsideFerrysNatRangeAreRefused() {
    for (String cidr : List.of("100.64.0.0/10", "100.100.0.0/16", "100.127.255.0/24", "100.0.0.0/8")) {
      assertRejected(422, "invalid_value", "cidr", () -> admin.post("/v1/networks", obj("tenant", "acme", "cidr", cidr)));
    }
    created(admin.post("/v1/networks", obj("tenant", "acme", "cidr", "100.128.0.0/24")));
  }

  @Test
  void unusableTunnelIpsAndNextHopsAreRefused() {
    for (String ip : List.of("0.0.0.0", "255.255.255.255", "127.0.0.1", "224.0.0.5")) {
      assertRejected(422, "invalid_value", "tunnel_ip", () -> admin.post("/v1/hosts",
          obj("name", "h2", "datapath_id", "0000000000000002", "tunnel_ip", ip)));
    }
    for (String hop : List.of("203.0.113.2", "203.0.113.0", "203.0.113.255")) {
      assertRejected(422, "invalid_value", "uplink.next_hop", () -> admin.patch("/v1/hosts/h1", obj("uplink",
          obj("interface", "eth1", "address", "203.0.113.2/24", "next_hop", hop))));
    }
  }

  @Test
  void tooLargeBodiesGetAJsonError() throws Exception {
    byte[] body = ("{\"name\": \"" + "x".repeat(2_000_000) + "\"}").getBytes(StandardCharsets.UTF_8);
    HttpReply r = raw("POST /v1/tenants HTTP/1.1", body);
    assertEquals(413, r.status, r.head);
    assertEquals("too_large", r.json().path("error").asText(), r.toString());
  }

  @Test
  void nulAndDotDotInAPathGetFerrysJsonError() throws Exception {
    for (String path : List.of("/v1/ports/%00", "/v1/ports/..", "/v1/../v1/ports", "/v1/ports/%2e%2e/x",
        "/v1/ports/a%2fb", "/v1/ports/%ff")) {
      HttpReply r = raw("GET " + path + " HTTP/1.1", null);
      assertTrue(r.status >= 400 && r.status < 500, path + ": " + r);
      assertTrue(r.head.toLowerCase().contains("content-type: application/json"), path + ": " + r.head);
      assertTrue(r.json().hasNonNull("error"), path + ": " + r);
    }
  }

  record HttpReply(int status, String head, byte[] body) {
    JsonNode json() {
      try {
        return Api.JSON.readTree(body);
      } catch (IOException e) {
        throw new AssertionError("not JSON: " + new String(body, StandardCharsets.UTF_8), e);
      }
    }

    @Override
    public String toString() {
      return head + "\n" + new String(body, 0, Math.min(body.length, 500), StandardCharsets.UTF_8);
    }
  }

  /** One raw HTTP/1.1 exchange, byte for byte (no client-side normalization or encoding). */
  private HttpReply raw(String requestLine, byte[] body) throws IOException {
    try (Socket s = new Socket("127.0.0.1", ferry.restPort())) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      StringBuilder head = new StringBuilder(requestLine).append("\r\nHost: 127.0.0.1\r\nConnection: close\r\n")
          .append("Authorization: Bearer ").append(ADMIN_TOKEN).append("\r\n");
      if (body != null) {
        head.append("Content-Type: application/json\r\nContent-Length: ").append(body.length).append("\r\n");
      }
      out.write(head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
      if (body != null) {
        try {
          out.write(body);
        } catch (IOException serverClosedEarly) {
          // a 413 may be answered before the whole body is sent
        }
      }
      out.flush();
      InputStream in = s.getInputStream();
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      in.transferTo(all);
      byte[] bytes = all.toByteArray();
      String text = new String(bytes, StandardCharsets.ISO_8859_1);
      int split = text.indexOf("\r\n\r\n");
      String h = split < 0 ? text : text.substring(0, split);
      byte[] b = split < 0 ? new byte[0] : Arrays.copyOfRange(bytes, split + 4, bytes.length);
      if (h.toLowerCase().contains("transfer-encoding: chunked")) {
        b = dechunk(b);
      }
      return new HttpReply(Integer.parseInt(h.split(" ")[1]), h, b);
    }
  }

  private static byte[] dechunk(byte[] b) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int i = 0;
    while (i < b.length) {
      int eol = indexOf(b, i);
      int size = Integer.parseInt(new String(b, i, eol - i, StandardCharsets.US_ASCII).trim(), 16);
      if (size == 0) {
        break;
      }
      out.write(b, eol + 2, size);
      i = eol + 2 + size + 2;
    }
    return out.toByteArray();
  }

  private static int indexOf(byte[] b, int from) {
    for (int i = from; i < b.length - 1; i++) {
      if (b[i] == '\r' && b[i + 1] == '\n') {
        return i;
      }
    }
    return b.length;
  }
}
