package dev.ferry.tests.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.controller.cluster.LocalEtcd;
import dev.ferry.tests.lab.Lab;
import dev.ferry.tests.lab.LabExtension;
import dev.ferry.tests.lab.LabHost;
import dev.ferry.tests.scenario.FerryApi;
import dev.ferry.tests.scenario.FerryProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node that joins takes its share of the switches: node 0 alone masters four real OVS
 * switches that point at both nodes; node 1 starts; soon each node is the confirmed master of
 * two. Each moved switch got a higher generation id (OVS accepted the new master's
 * ROLE_REQUEST and says so in its Controller table), no switch was ever confirmed by both
 * nodes at once, and the new master's first reconcile found the flows right (no flow-mod).
 */
@ExtendWith(LabExtension.class)
class ClusterRebalanceTest {
  private static final String TOKEN = "cluster-rebalance-token";

  @Test
  void aJoiningNodeTakesHalfTheSwitchesByGracefulHandover(Lab lab, @TempDir Path dir) throws Exception {
    List<FerryProcess> ferries = new ArrayList<>();
    try (LocalEtcd etcd = LocalEtcd.start(1)) {
      List<String> targets = List.of(lab.controllerTarget(Lab.CONTROLLER_PORT), lab.controllerTarget(Lab.CONTROLLER_PORT + 1));
      ferries.add(node(lab, dir, etcd, 0));
      FerryApi api0 = new FerryApi(ferries.get(0).restUrl(), TOKEN);
      List<LabHost> hosts = lab.addHosts("h1", "h2", "h3", "h4");
      for (LabHost h : hosts) {
        h.setControllers(targets); // node 1 is not up yet: OVS keeps trying (max_backoff 1 s)
        api0.createHost(h.name(), h.datapathIdHex(), h.tunnelIp());
      }
      awaitConfirmed(List.of(api0), List.of(4), 30_000);
      Map<String, Long> before = generations(api0);
      assertEquals(4, before.size(), before::toString);

      ferries.add(node(lab, dir, etcd, 1));
      FerryApi api1 = new FerryApi(ferries.get(1).restUrl(), TOKEN);
      awaitConfirmed(List.of(api0, api1), List.of(2, 2), 30_000);

      Map<String, Long> after = generations(api1);
      Set<String> moved = new HashSet<>();
      for (JsonNode d : api1.get("/v1/cluster").path("masters_confirmed")) {
        moved.add(d.asText());
      }
      for (String dpid : moved) {
        assertTrue(after.get(dpid) > before.get(dpid), "moved " + dpid + " without a higher generation: " + before + " " + after);
        JsonNode sw = api1.get("/v1/switches/" + dpid);
        assertEquals(0, sw.path("flow_mods_sent").asLong(-1), "the new master changed flows: " + sw);
      }
      // OVS itself has node 1 as master of the moved switches and node 0 as slave.
      for (LabHost h : hosts) {
        boolean toNode1 = moved.contains(h.datapathIdHex().toLowerCase());
        awaitOvsRoles(h, toNode1 ? targets.get(1) : targets.get(0), toNode1 ? targets.get(0) : targets.get(1));
      }
    } finally {
      for (FerryProcess f : ferries) {
        f.close();
      }
    }
  }

  private static FerryProcess node(Lab lab, Path dir, LocalEtcd etcd, int i) throws Exception {
    Path data = Files.createDirectories(dir.resolve("node" + i));
    return FerryProcess.start(lab.controllerIp(), Lab.CONTROLLER_PORT + i, data, TOKEN, List.of(), List.of(),
        List.of("--store", etcd.storeUri()));
  }

  /** dpid (16 hex digits) -> generation of its master key, as a node sees GET /v1/cluster. */
  private static Map<String, Long> generations(FerryApi api) {
    Map<String, Long> out = new HashMap<>();
    for (JsonNode s : api.get("/v1/cluster").path("switches")) {
      out.put(s.path("datapath_id").asText(), s.path("generation").asLong());
    }
    return out;
  }

  /** Polls until each node confirms exactly its expected count; never may two nodes confirm one switch. */
  private static void awaitConfirmed(List<FerryApi> apis, List<Integer> counts, long timeoutMs) throws InterruptedException {
    long deadline = System.nanoTime() + timeoutMs * 1_000_000;
    while (true) {
      List<Integer> seen = new ArrayList<>();
      Set<String> all = new HashSet<>();
      for (FerryApi a : apis) {
        JsonNode confirmed = a.get("/v1/cluster").path("masters_confirmed");
        seen.add(confirmed.size());
        for (JsonNode d : confirmed) {
          assertTrue(all.add(d.asText()), "two nodes are master of " + d.asText() + " at once");
        }
      }
      if (seen.equals(counts)) {
        return;
      }
      assertTrue(System.nanoTime() < deadline, "confirmed masters per node " + seen + ", want " + counts);
      Thread.sleep(50);
    }
  }

  /** OVS refreshes its Controller table's role column only now and then: poll it. */
  private static void awaitOvsRoles(LabHost h, String master, String slave) throws InterruptedException {
    long deadline = System.nanoTime() + 20_000_000_000L;
    String want = master + ",master\n" + slave + ",slave";
    while (true) {
      String roles = h.vsctl("--format=csv", "--data=bare", "--no-headings", "--columns=target,role", "list", "controller");
      List<String> lines = new ArrayList<>(List.of(roles.trim().replace("\"", "").split("\n")));
      lines.sort(null);
      List<String> expected = new ArrayList<>(List.of(want.split("\n")));
      expected.sort(null);
      if (lines.equals(expected)) {
        return;
      }
      assertTrue(System.nanoTime() < deadline, h.name() + ": OVS says " + roles + ", want " + want);
      Thread.sleep(200);
    }
  }
}
