package dev.ferry.controller.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.apps.model.FloatingIp;
import dev.ferry.apps.model.Host;
import dev.ferry.apps.model.Network;
import dev.ferry.apps.model.Port;
import dev.ferry.apps.model.Tenant;
import dev.ferry.controller.Main;
import dev.ferry.controller.cluster.LocalEtcd;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** `ferry store export` / `import`: SQLite -> etcd -> SQLite keeps every object, address and token. */
class ModelDumpRoundTripTest {

  @Test
  void sqliteToEtcdAndBackKeepsTheWholeModel(@TempDir Path dir) throws Exception {
    Path source = dir.resolve("source");
    String token;
    try (SqliteStore s = SqliteStore.open(source)) {
      s.create(Resource.TENANTS, new Tenant("acme", "Acme", 0));
      s.update(Resource.TENANTS, new Tenant("acme", "Acme Inc", 0), 1L);
      s.create(Resource.HOSTS, new Host("h1", 0x11, "192.0.2.1", new Host.Uplink("eth1", "203.0.113.2/24", "203.0.113.1"), 0));
      Network n = s.create(Resource.NETWORKS, new Network("web", "acme", "web", 0, "10.0.0.0/24", null, true, 1450,
          List.of("9.9.9.9"), "h1", 0));
      s.create(Resource.NETWORKS, new Network("db", "acme", "db", 4242, "10.0.1.0/24", "10.0.1.254", false, 9000, null, null, 0));
      Port p = s.create(Resource.PORTS, new Port("p1", n.id(), "vm1", null, null, "h1", "veth1", true, 0));
      s.create(Resource.PORTS, new Port(null, n.id(), null, "02:00:00:00:00:09", "10.0.0.77", null, null, false, 0));
      // a group of its own, a rule naming the default group as its remote, a port in both
      var web = s.create(Resource.SECURITY_GROUPS, new dev.ferry.apps.model.SecurityGroup(null, "acme", "web", "http in", 0));
      s.create(Resource.SECURITY_GROUP_RULES, new dev.ferry.apps.model.SecurityGroupRule(null, web.id(), "ingress", 6, 80, 80,
          null, null, null, dev.ferry.apps.model.SecurityGroup.defaultId("acme"), 0));
      s.create(Resource.PORTS, new Port("p3", n.id(), "vm3", null, null, null, null, true,
          java.util.List.of(web.id(), dev.ferry.apps.model.SecurityGroup.defaultId("acme")),
          java.util.List.of(new dev.ferry.apps.model.AddressPair("10.0.0.50", null),
              new dev.ferry.apps.model.AddressPair("10.0.0.64/28", "02:00:5e:00:01:07")), 0));
      s.create(Resource.POOLS, new ExternalPool("public", "203.0.113.0/24", List.of(new ExternalPool.Range("203.0.113.5", "203.0.113.20")), 0));
      s.createFloatingIp(new FloatingIp("f1", null, "203.0.113.9", p.id(), 0), "public");
      token = s.issueToken("acme");
    }
    Path export1 = dir.resolve("export1.json");
    Path export2 = dir.resolve("export2.json");
    Path export3 = dir.resolve("export3.json");
    assertEquals(0, cli("store", "export", "--data-dir", source.toString(), "--out", export1.toString()));
    ModelDump original = read(export1);
    assertEquals(2, original.securityGroups().size(), "the default group and web");
    assertEquals(2, original.ports().stream().filter(x -> x.id().equals("p3")).findFirst().orElseThrow()
        .securityGroups().size());
    assertEquals(2, original.ports().stream().filter(x -> x.id().equals("p3")).findFirst().orElseThrow()
        .allowedAddressPairs().size(), "allowed address pairs go along");
    assertEquals(2, original.tenants().get(0).revision());

    try (LocalEtcd etcd = LocalEtcd.start(1)) {
      String uri = etcd.storeUri() + "/imported";
      assertEquals(0, cli("store", "import", "--store", uri, export1.toString()));
      // A second import into a store that holds something is refused.
      assertEquals(1, cli("store", "import", "--store", uri, export1.toString()));
      assertEquals(0, cli("store", "export", "--store", uri, "--out", export2.toString()));
      try (EtcdStore e = EtcdStore.open(EtcdLocation.plain(etcd.hostPorts(), "imported"))) {
        assertEquals("acme", e.tenantOfToken(token).orElseThrow(), "an issued token survives the move");
      }
    }
    assertEquals(original.asImported(), read(export2).asImported());

    Path back = dir.resolve("back");
    assertEquals(0, cli("store", "import", "--data-dir", back.toString(), export2.toString()));
    assertEquals(0, cli("store", "export", "--data-dir", back.toString(), "--out", export3.toString()));
    assertEquals(read(export2).asImported(), read(export3).asImported());
    try (SqliteStore s = SqliteStore.open(back)) {
      assertEquals("acme", s.tenantOfToken(token).orElseThrow());
      assertEquals("10.0.0.77", s.get(Resource.PORTS, original.ports().get(0).id().equals("p1")
          ? original.ports().get(1).id() : original.ports().get(0).id()).orElseThrow().ip());
    }
  }

  @Test
  void aFileThatIsNotAnExportIsRefusedClearly(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("x.json");
    Files.writeString(f, "{\"format\": \"something\", \"formatVersion\": 3}");
    try (InputStream in = Files.newInputStream(f)) {
      assertTrue(assertThrows(IllegalArgumentException.class, () -> ModelDump.read(in)).getMessage()
          .contains("not a Ferry model export"));
    }
  }

  private static ModelDump read(Path f) throws Exception {
    try (InputStream in = Files.newInputStream(f)) {
      return ModelDump.read(in);
    }
  }

  private static int cli(String... args) {
    return new CommandLine(new Main()).setExecutionExceptionHandler((e, cmd, parsed) -> {
      System.err.println("ferry: " + e.getMessage());
      return 1;
    }).execute(args);
  }
}
