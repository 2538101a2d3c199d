package dev.ferry.tests.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.controller.cluster.LocalEtcd;
import dev.ferry.tests.lab.ContainerSpec;
import dev.ferry.tests.lab.Lab;
import dev.ferry.tests.lab.LabContainer;
import dev.ferry.tests.lab.LabExtension;
import dev.ferry.tests.lab.LabHost;
import dev.ferry.tests.lab.LabProcess;
import dev.ferry.tests.scenario.FerryApi;
import dev.ferry.tests.scenario.FerryProcess;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Ferry cluster on one machine: 3 etcd members on loopback, 3 Ferry nodes, 2 real OVS hosts
 * whose br-int points at all three. kill -9 of the node that masters host 1 while host 1's
 * container pings host 2's at 10/s: no ping lost, another node is host 1's confirmed master
 * within 3 s, and its first reconcile (a full read-back) sends no flow-mod. Then etcd loses one
 * member (writes go on) and a second (writes get a 503, traffic flows on).
 */
@ExtendWith(LabExtension.class)
class ClusterFailoverTest {
  private static final String TOKEN = "cluster-test-token";
  private static final int NODES = 3;

  @Test
  void killNineOfTheMasterLosesNoPingAndANewMasterTakesOverWithinThreeSeconds(Lab lab, @TempDir Path dir)
      throws Exception {
    List<FerryProcess> ferries = new ArrayList<>();
    try (LocalEtcd etcd = LocalEtcd.start(3)) {
      List<String> targets = new ArrayList<>();
      for (int i = 0; i < NODES; i++) {
        int port = Lab.CONTROLLER_PORT + i;
        targets.add(lab.controllerTarget(port));
        Path data = java.nio.file.Files.createDirectories(dir.resolve("node" + i));
        ferries.add(FerryProcess.start(lab.controllerIp(), port, data, TOKEN, List.of(),
            List.of(), List.of("--store", etcd.storeUri())));
      }
      List<FerryApi> apis = ferries.stream().map(f -> new FerryApi(f.restUrl(), TOKEN)).toList();
      FerryApi api = apis.get(0);
      List<LabHost> hosts = lab.addHosts("h1", "h2");
      for (LabHost h : hosts) {
        h.setControllers(targets);
        api.createHost(h.name(), h.datapathIdHex(), h.tunnelIp());
      }
      // Writes through another node than the one that made the hosts: any node takes writes.
      FerryApi other = apis.get(1);
      String net = other.createNetwork(other.createTenant("blue"), "blue-net", 100, "172.17.42.0/24");
      LabContainer b1 = container(other, hosts.get(0), net, "b1", "02:00:00:00:00:02", "172.17.42.2/24");
      LabContainer b2 = container(other, hosts.get(1), net, "b2", "02:00:00:00:00:10", "172.17.42.10/24");

      int master1 = awaitConfirmedMaster(apis, hosts.get(0), -1, 30_000);
      awaitConfirmedMaster(apis, hosts.get(1), -1, 30_000);
      assertTrue(b1.ping(b2.ip(), 2, 10) == 2, "no connectivity across the cluster's switches");

      LabProcess ping = b1.spawn("ping", "-i", "0.1", "-c", "60", "-W", "1", b2.ip());
      // A client keeps creating ports through a node that survives, across the kill.
      FerryApi writerNode = apis.get((master1 + 1) % apis.size());
      String writes = writerNode.createNetwork(writerNode.createTenant("writes"), "writes-net", 300, "172.18.0.0/20");
      List<String> acknowledged = java.util.Collections.synchronizedList(new ArrayList<>());
      List<String> refusedWrites = java.util.Collections.synchronizedList(new ArrayList<>());
      java.util.concurrent.atomic.AtomicBoolean writing = new java.util.concurrent.atomic.AtomicBoolean(true);
      Thread client = new Thread(() -> {
        for (int i = 0; writing.get(); i++) {
          try {
            acknowledged.add(writerNode.createPort(writes, "w" + i, null, null, null, null).path("id").asText());
          } catch (RuntimeException e) {
            refusedWrites.add(e.toString());
          }
        }
      }, "failover-writer");
      client.start();
      Thread.sleep(1500);
      long killed = System.nanoTime();
      int ackedAtKill = acknowledged.size();
      ferries.get(master1).kill9();
      List<FerryApi> alive = new ArrayList<>(apis);
      alive.set(master1, null);
      int master1b = awaitConfirmedMaster(alive, hosts.get(0), master1, 10_000);
      long failoverMs = (System.nanoTime() - killed) / 1_000_000;
      System.out.printf("cluster failover: node %d -> node %d confirmed master of h1 %d ms after kill -9%n",
          master1, master1b, failoverMs);
      assertNotEquals(master1, master1b);
      assertTrue(failoverMs < 3000, "new master after " + failoverMs + " ms");

      // The new master's first reconcile read the switch back and found it right.
      JsonNode sw = awaitReconciled(alive.get(master1b), hosts.get(0));
      assertEquals(0, sw.path("reconciles").path("last_flow_mods").asInt(-1), "first reconcile changed flows: " + sw);
      assertEquals(0, sw.path("flow_mods_sent").asLong(-1), "the new master sent flow-mods: " + sw);

      ping.waitFor(20_000);
      String summary = String.join("\n", ping.outputLines());
      Matcher m = Pattern.compile("(\\d+) packets transmitted, (\\d+) received").matcher(summary);
      assertTrue(m.find(), "no ping summary: " + summary);
      assertEquals("60", m.group(1));
      assertEquals("60", m.group(2), "packets were lost across the failover: " + summary);

      writing.set(false);
      client.join(10_000);
      System.out.printf("cluster failover: %d ports acknowledged through node %d (%d before the kill), %d refused%n",
          acknowledged.size(), (master1 + 1) % apis.size(), ackedAtKill, refusedWrites.size());
      assertTrue(acknowledged.size() > ackedAtKill, "no write was acknowledged after the kill");
      // Not one acknowledged write lost: every surviving node has every port it was told about.
      for (FerryApi node : alive) {
        if (node == null) {
          continue;
        }
        java.util.Set<String> held = new java.util.HashSet<>();
        node.get("/v1/ports?network=" + writes).forEach(port -> held.add(port.path("id").asText()));
        List<String> lost = acknowledged.stream().filter(id -> !held.contains(id)).toList();
        assertTrue(lost.isEmpty(), "acknowledged ports missing on a surviving node: " + lost);
      }

      // A port created right after the failover gets its flows from the new master: the write
      // returns once the switch holds it (?wait=switches), and then it pings at once.
      LabContainer b3 = container(alive.get(master1b).waitingForSwitches(), hosts.get(0), net, "b3",
          "02:00:00:00:00:03", "172.17.42.3/24");
      assertTrue(b3.ping(b2.ip(), 3, 50) >= 1, "a port created after the failover has no connectivity");

      // One of 3 etcd members gone: writes still work. Two gone: a clear 503, and the switches
      // keep their flows (the nodes step down; nobody writes to them), so traffic flows on.
      FerryApi writer = alive.get(master1b);
      etcd.kill(etcd.members().get(0));
      writer.createTenant("after-one-member-died");
      etcd.kill(etcd.members().get(1));
      dev.ferry.controller.cli.CtlClient.ApiFailure refused = org.junit.jupiter.api.Assertions.assertThrows(
          dev.ferry.controller.cli.CtlClient.ApiFailure.class, () -> writer.createTenant("without-quorum"));
      assertEquals(503, refused.status, refused.body::toString);
      assertEquals("store_unavailable", refused.body.path("error").asText());
      assertEquals(5, b1.ping(b2.ip(), 5, 20), "traffic stopped when etcd lost its quorum");
    } finally {
      for (FerryProcess f : ferries) {
        f.close();
      }
      keepLogs(dir);
    }
  }

  @Test
  void aNodeCutOffFromEtcdStepsDownAndAnotherTakesItsSwitches(Lab lab, @TempDir Path dir) throws Exception {
    List<FerryProcess> ferries = new ArrayList<>();
    List<TcpRelay> relays = new ArrayList<>();
    try (LocalEtcd etcd = LocalEtcd.start(3)) {
      List<String> targets = new ArrayList<>();
      for (int i = 0; i < NODES; i++) {
        // Each node reaches etcd only through its own relay, so one node can be cut off alone.
        LocalEtcd.Member member = etcd.members().get(i);
        TcpRelay relay = new TcpRelay(new java.net.InetSocketAddress("127.0.0.1",
            java.net.URI.create(member.endpoint()).getPort()));
        relays.add(relay);
        int port = Lab.CONTROLLER_PORT + i;
        targets.add(lab.controllerTarget(port));
        Path data = java.nio.file.Files.createDirectories(dir.resolve("node" + i));
        ferries.add(FerryProcess.start(lab.controllerIp(), port, data, TOKEN, List.of(),
            List.of(), List.of("--store", "etcd://127.0.0.1:" + relay.port())));
      }
      List<FerryApi> apis = ferries.stream().map(f -> new FerryApi(f.restUrl(), TOKEN)).toList();
      List<LabHost> hosts = lab.addHosts("h1", "h2");
      for (LabHost h : hosts) {
        h.setControllers(targets);
        apis.get(0).createHost(h.name(), h.datapathIdHex(), h.tunnelIp());
      }
      String net = apis.get(0).createNetwork(apis.get(0).createTenant("blue"), "blue-net", 100, "172.17.42.0/24");
      LabContainer b1 = container(apis.get(0), hosts.get(0), net, "b1", "02:00:00:00:00:02", "172.17.42.2/24");
      LabContainer b2 = container(apis.get(0), hosts.get(1), net, "b2", "02:00:00:00:00:10", "172.17.42.10/24");
      int master = awaitConfirmedMaster(apis, hosts.get(0), -1, 30_000);
      awaitConfirmedMaster(apis, hosts.get(1), -1, 30_000);
      assertTrue(b1.ping(b2.ip(), 2, 10) == 2, "no connectivity across the cluster's switches");

      relays.get(master).cut();
      long cut = System.nanoTime();
      // The cut-off node steps down by itself (its REST still answers from its model) ...
      FerryApi cutOff = apis.get(master);
      long deadline = System.nanoTime() + 5_000_000_000L;
      JsonNode view = cutOff.get("/v1/cluster");
      while (view.path("masters_confirmed").size() > 0 || view.path("lease_healthy").asBoolean()) {
        assertTrue(System.nanoTime() < deadline, "the cut-off node did not step down: " + view);
        Thread.sleep(20);
        view = cutOff.get("/v1/cluster");
      }
      long steppedDownMs = (System.nanoTime() - cut) / 1_000_000;
      long flowModsAtStepDown = cutOff.get("/v1/switches/" + hosts.get(0).datapathIdHex()).path("flow_mods_sent").asLong();
      // ... and another node becomes the confirmed master of its switch.
      List<FerryApi> others = new ArrayList<>(apis);
      others.set(master, null);
      int next = awaitConfirmedMaster(others, hosts.get(0), master, 10_000);
      long takeoverMs = (System.nanoTime() - cut) / 1_000_000;
      System.out.printf("cluster partition: node %d stepped down %d ms after the cut; node %d master %d ms after%n",
          master, steppedDownMs, next, takeoverMs);
      assertTrue(steppedDownMs < 2000, "stepped down only after " + steppedDownMs + " ms (lease is 2 s)");

      // The new master serves a change on that switch; the cut-off node sent nothing since.
      LabContainer b3 = container(apis.get(next), hosts.get(0), net, "b3", "02:00:00:00:00:03", "172.17.42.3/24");
      assertTrue(b3.ping(b2.ip(), 3, 50) >= 1, "a port created after the partition has no connectivity");
      assertEquals(flowModsAtStepDown,
          cutOff.get("/v1/switches/" + hosts.get(0).datapathIdHex()).path("flow_mods_sent").asLong(),
          "the cut-off node sent flow-mods after stepping down");
      assertEquals(2, b1.ping(b2.ip(), 2, 10), "traffic stopped across the partition");
    } finally {
      relays.forEach(TcpRelay::close);
      for (FerryProcess f : ferries) {
        f.close();
      }
      keepLogs(dir);
    }
  }

  /** The nodes' logs outlive the temp dir, under target/, for whoever reads a failure. */
  private static void keepLogs(Path dir) {
    for (int i = 0; i < NODES; i++) {
      Path log = dir.resolve("node" + i).resolve("ferry.log");
      try {
        Path out = java.nio.file.Files.createDirectories(Path.of("target", "cluster-logs"));
        if (java.nio.file.Files.exists(log)) {
          java.nio.file.Files.copy(log, out.resolve(dir.getFileName() + "-node" + i + ".log"),
              java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
      } catch (java.io.IOException e) {
        System.err.println("cannot keep " + log + ": " + e);
      }
    }
  }

  private static LabContainer container(FerryApi api, LabHost h, String net, String name, String mac, String ip) {
    LabContainer c = h.addContainer(ContainerSpec.of(name, mac, ip));
    api.createPort(net, name, mac, c.ip(), h.name(), c.ovsPort());
    return c;
  }

  /** Polls the nodes' GET /v1/cluster until one (not {@code except}) says it is the confirmed master. */
  private static int awaitConfirmedMaster(List<FerryApi> apis, LabHost h, int except, long timeoutMs)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeoutMs * 1_000_000;
    while (System.nanoTime() < deadline) {
      for (int i = 0; i < apis.size(); i++) {
        FerryApi a = apis.get(i);
        if (a == null || i == except) {
          continue;
        }
        Optional<JsonNode> c = tryGet(a, "/v1/cluster");
        if (c.isPresent()) {
          for (JsonNode d : c.get().path("masters_confirmed")) {
            if (d.asText().replace(":", "").equalsIgnoreCase(h.datapathIdHex())) {
              return i;
            }
          }
        }
      }
      Thread.sleep(20);
    }
    throw new AssertionError(h.name() + " has no confirmed master after " + timeoutMs + " ms");
  }

  private static JsonNode awaitReconciled(FerryApi api, LabHost h) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (true) {
      Optional<JsonNode> sw = tryGet(api, "/v1/switches/" + h.datapathIdHex());
      if (sw.isPresent() && sw.get().path("reconciles").path("completed").asLong() >= 1) {
        return sw.get();
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError(h.name() + " was not reconciled by its new master: " + sw);
      }
      Thread.sleep(20);
    }
  }

  private static Optional<JsonNode> tryGet(FerryApi api, String path) {
    try {
      return Optional.of(api.get(path));
    } catch (RuntimeException notYet) {
      return Optional.empty();
    }
  }
}
