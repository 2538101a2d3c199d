package dev.ferry.controller;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ferry run [flags]}: the controller's entry point. */
@Command(name = "ferry", mixinStandardHelpOptions = true, version = Main.VERSION, subcommands = {Main.Run.class, dev.ferry.controller.ops.HostSetupCmd.class,
    dev.ferry.controller.ops.AttachCmd.class, dev.ferry.controller.ops.DetachCmd.class,
    dev.ferry.controller.ops.StoreCmd.class, dev.ferry.controller.cni.CniCmd.class,
    dev.ferry.controller.docker.DockerPluginCmd.class},
    description = "Ferry: OpenFlow 1.3 controller for multi-tenant VXLAN overlays on Open vSwitch.")
public final class Main implements Runnable {

  /** What -V prints, on ferry and every subcommand. */
  public static final String VERSION = "ferry 0.1";

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs one ferry command line in this JVM (the lab runs host-setup this way); returns its exit code. */
  public static int execute(String... args) {
    return new CommandLine(new Main()).setExecutionExceptionHandler(Main::onFailure).execute(args);
  }

  /** Configuration mistakes are usage errors (2); anything else failed the start (1). One line each. */
  private static int onFailure(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
    boolean usage = e instanceof IllegalArgumentException;
    boolean ops = !(cmd.getCommand() instanceof Run);
    cmd.getErr().println("ferry: " + (usage || ops ? "" : "cannot start: ") + e.getMessage());
    if (!usage && e.getCause() != null) {
      cmd.getErr().println("  cause: " + e.getCause());
    }
    cmd.getErr().flush();
    return usage ? 2 : 1;
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand (try: ferry run --help)");
  }

  /** Starts the controller and blocks until it is told to stop (SIGTERM, Ctrl-C). */
  @Command(name = "run", mixinStandardHelpOptions = true, version = VERSION, description = "Run the controller.")
  static final class Run implements Callable<Integer> {

    @Option(names = "--openflow-listen", paramLabel = "HOST:PORT",
        description = "OpenFlow listen address (default 0.0.0.0:6653; 'none': no plain TCP)")
    String openflowListen;

    @Option(names = "--openflow-tls-listen", paramLabel = "HOST:PORT",
        description = "OpenFlow over TLS listen address (switches need a certificate signed by --tls-ca)")
    String openflowTlsListen;

    @Option(names = "--tls-cert", paramLabel = "PEM", description = "Ferry's certificate")
    String tlsCert;

    @Option(names = "--tls-key", paramLabel = "PEM", description = "Ferry's private key (PKCS#8 PEM)")
    String tlsKey;

    @Option(names = "--tls-ca", paramLabel = "PEM", description = "CA that signs the switches' certificates")
    String tlsCa;

    @Option(names = "--rest-tls", paramLabel = "true|false",
        description = "serve REST over HTTPS with --tls-cert/--tls-key (default false)")
    String restTls;

    @Option(names = "--metrics-token", paramLabel = "TOKEN",
        description = "a bearer token for scrapers on GET /metrics (the admin token always works)")
    String metricsToken;

    @Option(names = "--store", paramLabel = "sqlite|etcd://HOST:PORT,...[/PREFIX]",
        description = "where the model lives: sqlite (default, in --data-dir) or an etcd cluster; with etcd this"
            + " process is one node of a Ferry cluster")
    String store;

    @Option(names = "--etcd-cacert", paramLabel = "PEM", description = "CA that signs the etcd members' certificates")
    String etcdCacert;

    @Option(names = "--etcd-cert", paramLabel = "PEM", description = "Ferry's client certificate for etcd")
    String etcdCert;

    @Option(names = "--etcd-key", paramLabel = "PEM", description = "the private key of --etcd-cert")
    String etcdKey;
    @Option(names = "--metrics-open", description = "serve GET /metrics without any token (default: a token is needed)")
    boolean metricsOpen;

    @Option(names = "--rest-listen", paramLabel = "HOST:PORT",
        description = "REST listen address (default 0.0.0.0:8080)")
    String restListen;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "data directory (default ./data)")
    String dataDir;

    @Option(names = "--config", paramLabel = "FILE",
        description = "properties file with the same keys as these flags (flags win)")
    Path configFile;

    @Option(names = "--echo-interval-ms", paramLabel = "MS",
        description = "send an echo request to a switch silent this long (default 2000)")
    String echoInterval;

    @Option(names = "--echo-timeout-ms", paramLabel = "MS",
        description = "declare a switch dead when silent this long (default 6000)")
    String echoTimeout;

    @Option(names = "--dhcp-lease-seconds", paramLabel = "S",
        description = "DHCP lease time handed out; clients renew at half of it (default 86400)")
    String dhcpLease;

    @Option(names = "--admin-token", paramLabel = "TOKEN",
        description = "admin bearer token (default: <data-dir>/admin-token, generated on first start)")
    String adminToken;

    @Override
    public Integer call() throws Exception {
      Map<String, String> flags = new HashMap<>();
      flags.put(FerryConfig.OPENFLOW_LISTEN, openflowListen);
      flags.put(FerryConfig.REST_LISTEN, restListen);
      flags.put(FerryConfig.DATA_DIR, dataDir);
      flags.put(FerryConfig.ADMIN_TOKEN, adminToken);
      flags.put(FerryConfig.ECHO_INTERVAL, echoInterval);
      flags.put(FerryConfig.ECHO_TIMEOUT, echoTimeout);
      flags.put(FerryConfig.OPENFLOW_TLS_LISTEN, openflowTlsListen);
      flags.put(FerryConfig.TLS_CERT, tlsCert);
      flags.put(FerryConfig.TLS_KEY, tlsKey);
      flags.put(FerryConfig.TLS_CA, tlsCa);
      flags.put(FerryConfig.REST_TLS, restTls);
      flags.put(FerryConfig.METRICS_TOKEN, metricsToken);
      flags.put(FerryConfig.STORE, store);
      flags.put(FerryConfig.ETCD_CACERT, etcdCacert);
      flags.put(FerryConfig.ETCD_CERT, etcdCert);
      flags.put(FerryConfig.ETCD_KEY, etcdKey);
      flags.put(FerryConfig.METRICS_OPEN, metricsOpen ? "true" : null);
      flags.put(FerryConfig.DHCP_LEASE, dhcpLease);
      FerryConfig config = FerryConfig.resolve(configFile, flags);
      Ferry ferry = new Ferry(config).start();
      CountDownLatch stopped = new CountDownLatch(1);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        ferry.stop();
        stopped.countDown();
      }, "ferry-shutdown"));
      stopped.await();
      return 0;
    }
  }
}
