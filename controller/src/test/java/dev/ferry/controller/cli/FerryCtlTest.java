package dev.ferry.controller.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.controller.testing.Api;
import dev.ferry.controller.testing.ControllerProcess;
import dev.ferry.controller.testing.FerryTestBase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The real ferryctl, in a child JVM, against a running controller. */
class FerryCtlTest extends FerryTestBase {

  record Result(int exit, String out, String err) {
    @Override
    public String toString() {
      return "exit " + exit + "\nstdout: " + out + "\nstderr: " + err;
    }
  }

  private Result ctl(Map<String, String> env, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(ControllerProcess.javaBinary(), "-cp",
        System.getProperty("java.class.path"), "dev.ferry.controller.cli.FerryCtl"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().remove("FERRY_URL");
    pb.environment().remove("FERRY_TOKEN");
    pb.environment().put("HOME", dataDir.toString());
    pb.environment().putAll(env);
    Path out = Files.createTempFile(dataDir, "out", ".txt");
    Path err = Files.createTempFile(dataDir, "err", ".txt");
    Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    try {
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), "ferryctl finished");
    } finally {
      p.destroyForcibly();
    }
    return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
  }

  private Map<String, String> adminEnv() {
    return Map.of("FERRY_URL", admin.base(), "FERRY_TOKEN", ADMIN_TOKEN);
  }

  @Test
  void waitAsksTheWriteToWaitForTheSwitches() throws Exception {
    Result ok = ctl(adminEnv(), "--wait", "tenant", "create", "--id", "acme", "--name", "Acme");
    assertEquals(0, ok.exit(), ok::toString);
    // The server checks the option: a bad timeout is refused before the write, naming it.
    Result bad = ctl(adminEnv(), "--wait", "--wait-timeout-ms", "0", "tenant", "create", "--id", "other", "--name", "O");
    assertEquals(1, bad.exit(), bad::toString);
    assertTrue(bad.err().contains("field: timeout_ms"), bad::toString);
    assertEquals(404, admin.get("/v1/tenants/other").status());
  }

  @Test
  void createsListsUpdatesAndDeletesThroughTheApi() throws Exception {
    Result tenant = ctl(adminEnv(), "tenant", "create", "--id", "acme", "--name", "Acme");
    assertEquals(0, tenant.exit(), tenant::toString);
    Result net = ctl(adminEnv(), "network", "create", "--tenant", "acme", "--cidr", "10.0.0.0/24", "--id", "web", "-o", "json");
    assertEquals(0, net.exit(), net::toString);
    assertEquals(1, Api.JSON.readTree(net.out()).get("vni").asInt());
    Result host = ctl(adminEnv(), "host", "create", "h1", "--datapath-id", "00:00:00:00:00:00:00:01", "--tunnel-ip", "192.0.2.1");
    assertEquals(0, host.exit(), host::toString);
    Result port = ctl(adminEnv(), "port", "create", "--network", "web", "--host", "h1", "--interface", "veth1", "--id", "p1");
    assertEquals(0, port.exit(), port::toString);
    assertTrue(port.out().contains("10.0.0.2"), port::toString);

    Result table = ctl(adminEnv(), "port", "list", "--network", "web");
    assertEquals(0, table.exit(), table::toString);
    String[] lines = table.out().strip().split("\n");
    assertEquals(2, lines.length, table::toString);
    assertTrue(lines[0].startsWith("NAME") && lines[1].contains(" p1 "), table::toString);

    Result update = ctl(adminEnv(), "port", "update", "p1", "--host", "none", "--if-match", "1", "-o", "json");
    assertEquals(0, update.exit(), update::toString);
    JsonNode updated = Api.JSON.readTree(update.out());
    assertTrue(updated.get("host").isNull());
    assertEquals(2, updated.get("revision").asInt());
    Result pairs = ctl(adminEnv(), "port", "update", "p1", "--allowed-address-pair", "10.0.0.50",
        "--allowed-address-pair", "10.0.0.64/28,02:00:5e:00:01:07", "-o", "json");
    assertEquals(0, pairs.exit(), pairs::toString);
    JsonNode withPairs = Api.JSON.readTree(pairs.out()).get("allowed_address_pairs");
    assertEquals("10.0.0.50", withPairs.get(0).get("ip_address").asText(), pairs::toString);
    assertEquals("02:00:5e:00:01:07", withPairs.get(1).get("mac_address").asText(), pairs::toString);
    Result badPair = ctl(adminEnv(), "port", "update", "p1", "--allowed-address-pair", "10.9.9.9");
    assertEquals(1, badPair.exit(), badPair::toString);
    assertTrue(badPair.err().contains("allowed_address_pairs[0].ip_address"), badPair::toString);
    Result cleared = ctl(adminEnv(), "port", "update", "p1", "--no-allowed-address-pairs", "-o", "json");
    assertEquals(0, Api.JSON.readTree(cleared.out()).get("allowed_address_pairs").size(), cleared::toString);

    Result pool = ctl(adminEnv(), "pool", "create", "public", "--cidr", "203.0.113.0/24",
        "--range", "203.0.113.100-203.0.113.110", "--range", "203.0.113.120");
    assertEquals(0, pool.exit(), pool::toString);
    assertEquals(2, admin.get("/v1/external_pools/public").body().get("ranges").size());
    Result fip = ctl(adminEnv(), "fip", "create", "--pool", "public", "--port", "p1", "-o", "json");
    assertEquals(0, fip.exit(), fip::toString);
    assertEquals("203.0.113.100", Api.JSON.readTree(fip.out()).get("ip").asText());
    Result credential = ctl(adminEnv(), "host", "credential", "h1", "-o", "json");
    assertEquals(0, credential.exit(), credential::toString);
    String hostToken = Api.JSON.readTree(credential.out()).get("token").asText();
    assertEquals(200, admin.withToken(hostToken).get("/v1/ports/p1").status(), "the credential works");
    admin.delete("/v1/floating_ips/" + Api.JSON.readTree(fip.out()).get("id").asText());

    Result delete = ctl(adminEnv(), "port", "delete", "p1");
    assertEquals(0, delete.exit(), delete::toString);
    assertEquals(404, admin.get("/v1/ports/p1").status());
  }

  @Test
  void namesStandForIdsAndAnAmbiguousNameAsksForItsNetwork() throws Exception {
    createTenant("acme");
    createHost("h1", "0000000000000001", "192.0.2.1");
    Result web = ctl(adminEnv(), "network", "create", "--tenant", "acme", "--name", "web", "--cidr", "10.0.0.0/24");
    assertEquals(0, web.exit(), web::toString);
    Result db = ctl(adminEnv(), "network", "create", "--tenant", "acme", "--name", "db", "--cidr", "10.0.1.0/24");
    assertEquals(0, db.exit(), db::toString);
    for (String net : List.of("web", "db")) {
      Result a1 = ctl(adminEnv(), "port", "create", "--network", net, "--name", "a1");
      assertEquals(0, a1.exit(), a1::toString);
    }
    Result ambiguous = ctl(adminEnv(), "port", "show", "a1");
    assertEquals(2, ambiguous.exit(), ambiguous::toString);
    assertTrue(ambiguous.err().contains("shared by 2 ports: give --network"), ambiguous::toString);
    Result show = ctl(adminEnv(), "port", "show", "a1", "--network", "web", "-o", "json");
    assertEquals(0, show.exit(), show::toString);
    assertEquals("10.0.0.2", Api.JSON.readTree(show.out()).get("ip").asText());
    Result net = ctl(adminEnv(), "network", "show", "db", "-o", "json");
    assertEquals("10.0.1.0/24", Api.JSON.readTree(net.out()).get("cidr").asText(), net::toString);
    Result gone = ctl(adminEnv(), "port", "delete", "a1", "--network", "db");
    assertEquals(0, gone.exit(), gone::toString);
    Result missing = ctl(adminEnv(), "port", "show", "nope");
    assertEquals(1, missing.exit(), "an unknown name is the API's 404: " + missing);
  }

  @Test
  void exitCodesAndMessagesSayWhatToFix() throws Exception {
    admin.post("/v1/tenants", Api.obj("id", "acme", "name", "Acme"));
    admin.post("/v1/networks", Api.obj("tenant", "acme", "cidr", "10.0.0.0/24"));
    Result conflict = ctl(adminEnv(), "network", "create", "--tenant", "acme", "--cidr", "10.0.0.0/25");
    assertEquals(FerryCtl.API_ERROR, conflict.exit(), conflict::toString);
    assertTrue(conflict.err().contains("overlaps") && conflict.err().contains("field: cidr"), conflict::toString);

    Result usage = ctl(adminEnv(), "network", "create", "--tenant", "acme");
    assertEquals(FerryCtl.USAGE, usage.exit(), usage::toString);
    assertTrue(usage.err().contains("--cidr"), usage::toString);

    Result unreachable = ctl(Map.of("FERRY_URL", "http://127.0.0.1:1", "FERRY_TOKEN", "x"), "tenant", "list");
    assertEquals(FerryCtl.UNREACHABLE, unreachable.exit(), unreachable::toString);
    assertTrue(unreachable.err().contains("cannot reach Ferry"), unreachable::toString);

    Result noToken = ctl(Map.of("FERRY_URL", admin.base()), "network", "list");
    assertEquals(FerryCtl.API_ERROR, noToken.exit(), noToken::toString);
    assertTrue(noToken.err().contains("--token"), noToken::toString);
  }

  @Test
  void readsUrlAndTokenFromTheConfigFileAndFlagsWin() throws Exception {
    Path conf = dataDir.resolve(".config/ferry/ctl.properties");
    Files.createDirectories(conf.getParent());
    Files.writeString(conf, "url=" + admin.base() + "\ntoken=" + ADMIN_TOKEN + "\n");
    Result fromFile = ctl(Map.of(), "tenant", "create", "--name", "FromFile", "-o", "json");
    assertEquals(0, fromFile.exit(), fromFile::toString);
    Result flagWins = ctl(Map.of(), "--token", "wrong", "tenant", "list");
    assertEquals(FerryCtl.API_ERROR, flagWins.exit(), flagWins::toString);
  }
}
