package dev.ferry.controller.bench;

import static dev.ferry.controller.testing.Api.obj;

import dev.ferry.controller.Ferry;
import dev.ferry.controller.FerryConfig;
import dev.ferry.controller.testing.Api;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * REST throughput and list latency against a real Ferry (not a test; run by hand):
 *
 * <pre>
 * mvn -q -B -o -pl controller -am test-compile package -DskipTests
 * java -cp controller/target/test-classes:controller/target/ferry-controller.jar:controller/target/lib/* \
 *     dev.ferry.controller.bench.RestBenchmark [maxPorts=100000]
 *     dev.ferry.controller.bench.RestBenchmark writes
 * </pre>
 *
 * <p>{@code writes}: single creates with 1 and 16 clients (group commit's case), then 100,000
 * ports provisioned into a fresh Ferry through {@code POST /v1/ports/batch} (1,000 a batch,
 * 4 clients), each printed on one line for the alternating runs in docs/performance.md.
 */
public final class RestBenchmark {

  private static final String TOKEN = "bench";

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("writes")) {
      withFerry((api, net) -> {
        createRate(api, net, 1, 2_000);
        createRate(api, net, 16, 8_000);
      });
      withFerry((api, net) -> batchProvision(api, net, 100_000, 1_000, 4));
      return;
    }
    int maxPorts = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    Path dir = Files.createTempDirectory("ferry-bench");
    Ferry ferry = new Ferry(FerryConfig.forTest(dir, TOKEN)).start();
    try {
      Api api = new Api("http://127.0.0.1:" + ferry.restPort(), TOKEN);
      api.post("/v1/tenants", obj("id", "t", "name", "T"));
      String net = api.post("/v1/networks", obj("tenant", "t", "cidr", "10.0.0.0/8")).text("id");
      System.out.printf("disk: %s%n", dir);
      createRate(api, net, 1, 2_000);
      createRate(api, net, 8, 8_000);
      fillTo(api, net, 10_000);
      listLatency(api, net, 10_000);
      if (maxPorts >= 100_000) {
        fillTo(api, net, 100_000);
        listLatency(api, net, 100_000);
      }
    } finally {
      ferry.stop();
      try (var files = Files.walk(dir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private interface Run {
    void run(Api api, String net) throws Exception;
  }

  /** A fresh Ferry in a temporary directory, one tenant and one /8 network. */
  private static void withFerry(Run run) throws Exception {
    Path dir = Files.createTempDirectory("ferry-bench");
    Ferry ferry = new Ferry(FerryConfig.forTest(dir, TOKEN)).start();
    try {
      Api api = new Api("http://127.0.0.1:" + ferry.restPort(), TOKEN);
      api.post("/v1/tenants", obj("id", "t", "name", "T"));
      run.run(api, api.post("/v1/networks", obj("tenant", "t", "cidr", "10.0.0.0/8")).text("id"));
    } finally {
      ferry.stop();
      try (var files = Files.walk(dir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /** {@code total} ports through the batch endpoint, {@code size} a request, {@code clients} at once. */
  private static void batchProvision(Api api, String net, int total, int size, int clients) throws Exception {
    List<Map<String, Object>> batch = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      batch.add(obj("network", net));
    }
    Map<String, Object> body = obj("ports", batch);
    long start = System.nanoTime();
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    List<Future<?>> done = new ArrayList<>();
    for (int b = 0; b < total / size; b++) {
      done.add(pool.submit(() -> {
        Api.Response r = api.post("/v1/ports/batch", body);
        if (r.status() != 201) {
          throw new IllegalStateException(r.toString());
        }
      }));
    }
    for (Future<?> f : done) {
      f.get();
    }
    pool.shutdown();
    double s = (System.nanoTime() - start) / 1e9;
    System.out.printf("batch provision: %d ports (%d a batch, %d clients) in %.1f s (%.0f ports/s)%n",
        total, size, clients, s, total / s);
  }

  private static double createRate(Api api, String net, int clients, int total) throws Exception {
    long start = System.nanoTime();
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    List<Future<?>> done = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      done.add(pool.submit(() -> {
        for (int i = 0; i < total / clients; i++) {
          Api.Response r = api.post("/v1/ports", obj("network", net));
          if (r.status() != 201) {
            throw new IllegalStateException(r.toString());
          }
        }
      }));
    }
    for (Future<?> f : done) {
      f.get();
    }
    pool.shutdown();
    double rate = total / ((System.nanoTime() - start) / 1e9);
    System.out.printf("create ports, %d client(s): %d ports at %.0f ports/s%n", clients, total, rate);
    return rate;
  }

  private static void fillTo(Api api, String net, int target) throws Exception {
    int have = countPorts(api);
    if (have < target) {
      createRate(api, net, 8, target - have);
    }
  }

  private static int countPorts(Api api) {
    return api.get("/v1/ports").body().size();
  }

  /** Full round trip of GET /v1/ports (all ports) as raw bytes: median and max of 10 after warm-up. */
  private static void listLatency(Api api, String net, int ports) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    HttpRequest all = HttpRequest.newBuilder(URI.create(api.base() + "/v1/ports"))
        .header("Authorization", "Bearer " + TOKEN).build();
    HttpRequest one = HttpRequest.newBuilder(URI.create(api.base() + "/v1/ports?host=nowhere"))
        .header("Authorization", "Bearer " + TOKEN).build();
    for (int i = 0; i < 3; i++) {
      http.send(all, HttpResponse.BodyHandlers.ofByteArray());
    }
    long[] ms = new long[10];
    int bytes = 0;
    for (int i = 0; i < ms.length; i++) {
      long t = System.nanoTime();
      bytes = http.send(all, HttpResponse.BodyHandlers.ofByteArray()).body().length;
      ms[i] = (System.nanoTime() - t) / 1_000_000;
    }
    long[] filtered = new long[10];
    for (int i = 0; i < filtered.length; i++) {
      long t = System.nanoTime();
      http.send(one, HttpResponse.BodyHandlers.ofByteArray());
      filtered[i] = (System.nanoTime() - t) / 1_000_000;
    }
    Arrays.sort(ms);
    Arrays.sort(filtered);
    System.out.printf("list %d ports: median %d ms, max %d ms (%.1f MB); filtered to none: median %d ms%n",
        ports, ms[5], ms[9], bytes / 1e6, filtered[5]);
  }
}
