package dev.ferry.controller.cni;

import com.sun.net.httpserver.HttpServer;
import dev.ferry.controller.ops.Commands;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Run once by {@code ferry cni install} under -XX:ArchiveClassesAtExit: walks ADD, DEL, VERSION
 * and an error through the plugin's code against a local stand-in for Ferry's REST API, with
 * host commands replaced by {@code true}, so the class-data archive holds the classes a real
 * invocation loads. Changes nothing on the host.
 */
public final class CniTraining {
  private CniTraining() {}

  public static void main(String[] args) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      String path = exchange.getRequestURI().getPath();
      exchange.getRequestBody().readAllBytes();
      String body = switch (exchange.getRequestMethod()) {
        case "GET" -> path.startsWith("/v1/networks") ? """
            {"id":"train","name":"train","cidr":"10.0.0.0/24","gateway_ip":"10.0.0.1","mtu":1450,"dns_servers":["10.0.0.1"]}"""
            : "[]";
        case "POST", "PATCH" -> """
            {"id":"cni-0","mac":"02:00:00:00:00:02","ip":"10.0.0.2","host":"h","interface":"fy0"}""";
        default -> "";
      };
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(body.isEmpty() ? 204 : 200, body.isEmpty() ? -1 : bytes.length);
      exchange.getResponseBody().write(bytes);
      exchange.close();
    });
    server.start();
    try {
      String config = "{\"cniVersion\":\"1.0.0\",\"name\":\"train\",\"type\":\"ferry\",\"url\":\"http://127.0.0.1:"
          + server.getAddress().getPort() + "\",\"network\":\"train\",\"host\":\"h\"}";
      Commands harmless = command -> {
        Commands.Result r = Commands.SYSTEM.run(List.of(command.contains("show") ? "false" : "true"));
        return new Commands.Result(command, r.exitCode(), "", "");
      };
      PrintStream sink = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
      for (String command : List.of("VERSION", "ADD", "DEL", "STATUS")) {
        CniMain.run(Map.of("CNI_COMMAND", command, "CNI_CONTAINERID", "train", "CNI_NETNS", "/proc/self/ns/net",
            "CNI_IFNAME", "eth0"), config.getBytes(StandardCharsets.UTF_8), sink, sink, harmless);
      }
      CniMain.run(Map.of("CNI_COMMAND", "ADD"), "{".getBytes(StandardCharsets.UTF_8), sink, sink, harmless);
    } finally {
      server.stop(0);
    }
  }
}
