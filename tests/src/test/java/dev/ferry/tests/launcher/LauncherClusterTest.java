package dev.ferry.tests.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.tests.scenario.FerryApi;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./ferry cluster up --nodes 2} starts 3 etcd members and 2 Ferry nodes on loopback
 * (on the classes this test runs on, via FERRY_CLASSPATH: no build), prints their addresses,
 * and both nodes see each other in GET /v1/cluster; {@code ./ferry cluster down} stops every
 * process it recorded, by PID.
 */
class LauncherClusterTest {

  @Test
  void clusterUpStartsEtcdAndNodesThatSeeEachOtherAndDownStopsThemAll(@TempDir Path tmp) throws Exception {
    Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/etcd")), "etcd-server is not installed");
    Path dir = tmp.resolve("cluster");
    int offset = freeOffset();
    List<Long> pids = new ArrayList<>();
    try {
      Result up = ferry(List.of("cluster", "up", "--nodes", "2", "--offset", Integer.toString(offset), "--dir", dir.toString()));
      assertEquals(0, up.exit, up.out);
      Matcher m = Pattern.compile("node(\\d)=openflow tcp:<this host>:(\\d+) rest (http://127\\.0\\.0\\.1:\\d+)").matcher(up.out);
      List<String> urls = new ArrayList<>();
      while (m.find()) {
        urls.add(m.group(3));
      }
      assertEquals(2, urls.size(), up.out);
      assertTrue(up.out.contains("etcd=etcd://127.0.0.1:" + (2379 + offset) + ",127.0.0.1:" + (2389 + offset)), up.out);
      for (String line : Files.readAllLines(dir.resolve("pids"))) {
        pids.add(Long.parseLong(line.split(" ")[1]));
      }
      assertEquals(5, pids.size(), "3 etcd members and 2 nodes");
      String token = Files.readString(dir.resolve("admin-token")).trim();
      for (String url : urls) {
        JsonNode cluster = awaitNodes(new FerryApi(url, token), 2);
        assertTrue(cluster.path("etcd").path("healthy").asBoolean(), cluster::toString);
      }

      Result down = ferry(List.of("cluster", "down", "--dir", dir.toString()));
      assertEquals(0, down.exit, down.out);
      for (long pid : pids) {
        assertFalse(running(pid), "pid " + pid + " outlived cluster down");
      }
      assertFalse(Files.exists(dir.resolve("pids")), "down leaves no state behind");
    } finally {
      for (long pid : pids) { // a failed assertion above must not leave the cluster running
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
      }
    }
  }

  /**
   * Whether a process still runs: a zombie (killed, not yet reaped by init, which inherited it
   * when the launcher exited) does not.
   */
  private static boolean running(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      return !stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
    } catch (IOException gone) {
      return false;
    }
  }

  private static JsonNode awaitNodes(FerryApi api, int nodes) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (true) {
      JsonNode cluster = api.get("/v1/cluster");
      if (cluster.path("nodes").size() == nodes) {
        return cluster;
      }
      assertTrue(System.nanoTime() < deadline, "nodes do not see each other: " + cluster);
      Thread.sleep(50);
    }
  }

  record Result(int exit, String out) {}

  private static Result ferry(List<String> args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("bash", Path.of("..", "ferry").toString()));
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("FERRY_CLASSPATH", System.getProperty("java.class.path"));
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "./ferry " + args + " did not finish: " + out);
    return new Result(p.exitValue(), out);
  }

  /** An offset whose every port (etcd 2379..2400, OpenFlow 6653.., REST 8080..) is free now. */
  private static int freeOffset() {
    for (int attempt = 0; attempt < 20; attempt++) {
      int offset = 20_000 + 100 * ThreadLocalRandom.current().nextInt(300);
      int[] ports = {2379, 2380, 2389, 2390, 2399, 2400, 6653, 6654, 8080, 8081};
      boolean free = true;
      for (int port : ports) {
        try (ServerSocket s = new ServerSocket(port + offset)) {
          s.getLocalPort();
        } catch (IOException e) {
          free = false;
        }
      }
      if (free) {
        return offset;
      }
    }
    throw new IllegalStateException("no free port range");
  }
}
