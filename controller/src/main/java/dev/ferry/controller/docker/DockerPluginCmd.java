package dev.ferry.controller.docker;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.controller.ops.Commands;
import dev.ferry.controller.ops.OpsNames;
import dev.ferry.controller.ops.RestOptions;
import dev.ferry.controller.ops.Vsctl;
import io.javalin.Javalin;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.eclipse.jetty.unixdomain.server.UnixDomainServerConnector;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ferry docker-plugin}: serves the libnetwork remote network and IPAM driver protocol
 * (JSON over HTTP, POST /Plugin.Activate, /NetworkDriver.*, /IpamDriver.*) on a unix socket in
 * /run/docker/plugins, where dockerd discovers plugins by name ("ferry" for ferry.sock).
 */
@Command(name = "docker-plugin", mixinStandardHelpOptions = true,
    description = "Run the Docker network and IPAM driver 'ferry' on a unix socket (root).")
public final class DockerPluginCmd implements Callable<Integer> {
  private static final Logger LOG = LogManager.getLogger(DockerPluginCmd.class);
  static final String CONTENT_TYPE = "application/vnd.docker.plugins.v1.2+json";

  @Option(names = "--socket", paramLabel = "PATH", description = "default /run/docker/plugins/ferry.sock (plugin name: the file's)")
  Path socket = Path.of("/run/docker/plugins/ferry.sock");

  /** --url, and the host credential (--credential, default /etc/ferry/host-credential) as attach uses it. */
  @Mixin
  RestOptions rest;

  @Option(names = "--host", description = "this host's name in Ferry (default: hostname)")
  String host;

  @Option(names = "--db", paramLabel = "REMOTE", description = "ovsdb holding br-int (default: ovs-vsctl's)")
  String db;

  @Option(names = "--state", paramLabel = "FILE", description = "Docker network -> Ferry network map (default /var/lib/ferry/docker-plugin.json)")
  Path state = Path.of("/var/lib/ferry/docker-plugin.json");

  @Override
  public Integer call() throws Exception {
    DockerDriver driver = new DockerDriver(rest.hostClient(System.getenv()), Commands.SYSTEM, new Vsctl(Commands.SYSTEM, db),
        host != null ? host : OpsNames.hostname(), new DockerNetworks(state));
    Javalin app = server(driver, socket);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      app.stop();
      try {
        Files.deleteIfExists(socket);
      } catch (IOException ignored) {
        // Nothing to do at exit; the next start removes a stale socket.
      }
      stopped.countDown();
    }, "docker-plugin-shutdown"));
    System.out.println("ferry docker-plugin listening on " + socket);
    System.out.flush();
    stopped.await();
    return 0;
  }

  /** Javalin on a Jetty unix-domain connector; one route per protocol call, errors as {"Err": ...}. */
  public static Javalin server(DockerDriver driver, Path socket) throws IOException {
    Files.createDirectories(socket.toAbsolutePath().getParent());
    Files.deleteIfExists(socket);
    Javalin app = Javalin.create(cfg -> {
      cfg.showJavalinBanner = false;
      cfg.jetty.addConnector((server, http) -> {
        UnixDomainServerConnector c = new UnixDomainServerConnector(server);
        c.setUnixDomainPath(socket);
        return c;
      });
    });
    app.post("/{call}", ctx -> {
      String call = ctx.pathParam("call");
      String body = ctx.body();
      JsonNode req = body.isBlank() ? DockerDriver.obj() : DockerDriver.JSON.readTree(body);
      String answer;
      int status;
      try {
        answer = driver.handle(call, req).toString();
        status = 200;
      } catch (DockerDriver.DriverError e) {
        LOG.warn("{} refused: {}", call, e.getMessage());
        answer = DockerDriver.obj().put("Err", e.getMessage()).toString();
        status = 500;
      }
      LOG.info("{} {} -> {}", call, body.strip(), answer);
      ctx.status(status).contentType(CONTENT_TYPE).result(answer);
    });
    app.start();
    return app;
  }
}
