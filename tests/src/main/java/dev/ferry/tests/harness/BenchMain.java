package dev.ferry.tests.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.projectfloodlight.openflow.protocol.OFVersion;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Runs one benchmark scenario against a controller (the entry {@code ./ferry bench} calls).
 * Exit status: 0 done, 2 an emulated switch failed (handshake, a message it does not
 * understand, a dropped connection; the message says which and why), 1 anything else.
 */
@Command(name = "ferry-bench", mixinStandardHelpOptions = true,
    description = "Emulated OpenFlow switches put cbench-style or ARP load on a controller.")
public final class BenchMain implements Callable<Integer> {
  enum Mode { throughput, latency, scale }

  enum WorkloadName { cbench, arp }

  @Option(names = "--controller", required = true, description = "HOST:PORT of the controller")
  String controller;

  @Option(names = "--name", description = "controller label in the report (default: HOST:PORT)")
  String name;

  @Option(names = "--controller-pid", description = "pid to sample CPU and RSS from /proc")
  Long controllerPid;

  @Option(names = "--switches", defaultValue = "16", description = "1..1000 (default ${DEFAULT-VALUE})")
  int switches;

  @Option(names = "--ports-per-switch", defaultValue = "4")
  int portsPerSwitch;

  @Option(names = "--mode", defaultValue = "throughput", description = "${COMPLETION-CANDIDATES}")
  Mode mode;

  @Option(names = "--workload", defaultValue = "cbench", description = "${COMPLETION-CANDIDATES}")
  WorkloadName workload;

  @Option(names = "--ofversion", defaultValue = "1.3", description = "1.0 or 1.3")
  String ofVersion;

  @Option(names = "--loops", defaultValue = "10")
  int loops;

  @Option(names = "--warmup", defaultValue = "2")
  int warmup;

  @Option(names = "--duration-ms", defaultValue = "1000", description = "length of one loop")
  int durationMs;

  @Option(names = "--window", defaultValue = "64",
      description = "unanswered packet-ins per switch in throughput mode")
  int window;

  @Option(names = "--timeout-ms", defaultValue = "3000",
      description = "give up on a packet-in after this long")
  int timeoutMs;

  @Option(names = "--mac-pool", defaultValue = "100", description = "cbench: destination MACs per switch")
  int macPool;

  @Option(names = "--ports", description = "arp: provisioned ports CSV (" + ProvisionedPorts.HEADER
      + "); default: synthetic, every emulated port provisioned")
  Path portsCsv;

  @Option(names = "--networks", defaultValue = "4", description = "arp: networks of the synthetic provisioning")
  int networks;

  @Option(names = "--unknown-share", defaultValue = "0.1",
      description = "arp: share of requests for unknown addresses (must stay unanswered)")
  double unknownShare;

  @Option(names = "--expect-flows", defaultValue = "1",
      description = "scale: flows every switch must hold")
  int expectFlows;

  @Option(names = "--settle-ms", defaultValue = "0",
      description = "wait this long after every handshake before the load starts (lets a controller "
          + "that answers from its model bind the switches' ports first)")
  int settleMs;

  @Option(names = "--handshake-timeout-s", defaultValue = "60")
  int handshakeTimeoutS;

  @Option(names = "--csv", description = "append results to this CSV")
  Path csv;

  @Option(names = "--histogram",
      description = "write every measured latency sample here as a histogram (10 µs buckets) and print its summary")
  Path histogramFile;

  @Option(names = "--no-header", description = "print the result row without the table header")
  boolean noHeader;

  public static void main(String[] args) {
    System.exit(new CommandLine(new BenchMain()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    try {
      return mode == Mode.scale ? runScale() : runLoad();
    } catch (HandshakeException e) {
      System.err.println("ferry-bench: emulated switch failed: " + e.getMessage());
      return 2;
    }
  }

  private int runLoad() throws InterruptedException {
    LoadMode loadMode = mode == Mode.latency ? LoadMode.LATENCY : LoadMode.THROUGHPUT;
    LoadSpec spec = new LoadSpec(loadMode, window, Duration.ofMillis(timeoutMs), loops, warmup,
        Duration.ofMillis(durationMs));
    BenchScenario scenario = new BenchScenario(label(), workload.name(), loadMode, version(), switches);
    try (LoadGenerator gen = LoadGenerator.connect(emulatorConfig(false), spec, workloadFactory(),
        Duration.ofSeconds(handshakeTimeoutS))) {
      Thread.sleep(settleMs);
      LatencyHistogram histogram = new LatencyHistogram();
      BenchResult result = Benchmark.run(scenario, gen, spec,
          Optional.ofNullable(controllerPid).map(ProcessSampler::new), histogram);
      BenchReport.printTable(List.of(result), System.out, !noHeader);
      if (csv != null) {
        BenchReport.appendCsv(List.of(result), csv);
      }
      if (histogramFile != null) {
        System.out.println(histogram.summary());
        try {
          histogram.write(histogramFile, 10);
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }
    }
    return 0;
  }

  private int runScale() throws InterruptedException, IOException {
    long t0 = System.nanoTime();
    try (SwitchEmulator emu = SwitchEmulator.connect(emulatorConfig(true))) {
      emu.awaitReady(Duration.ofSeconds(handshakeTimeoutS));
      long handshakeMs = (System.nanoTime() - t0) / 1_000_000;
      emu.awaitFlows(sw -> expectFlows, Duration.ofSeconds(handshakeTimeoutS));
      long fullMs = (System.nanoTime() - t0) / 1_000_000;
      System.out.printf(Locale.ROOT, "%s: %d switches handshaken in %d ms, all holding >= %d flows"
          + " after %d ms%n", label(), switches, handshakeMs, expectFlows, fullMs);
      if (csv != null) {
        String header = Files.exists(csv) ? ""
            : "controller,switches,ofversion,expected_flows,handshake_ms,full_flows_ms\n";
        Files.writeString(csv, header + String.join(",", label(), Integer.toString(switches),
            ofVersion, Integer.toString(expectFlows), Long.toString(handshakeMs),
            Long.toString(fullMs)) + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      }
    }
    return 0;
  }

  private EmulatorConfig emulatorConfig(boolean storeFlows) {
    int colon = controller.lastIndexOf(':');
    if (colon < 0) {
      throw new CommandLine.ParameterException(new CommandLine(this), "--controller wants HOST:PORT");
    }
    return new EmulatorConfig(controller.substring(0, colon),
        Integer.parseInt(controller.substring(colon + 1)), switches, portsPerSwitch, version(), 1,
        storeFlows, 1);
  }

  private Workload.Factory workloadFactory() {
    if (workload == WorkloadName.cbench) {
      return CbenchWorkload.factory(macPool);
    }
    List<ProvisionedPort> ports = portsCsv != null ? ProvisionedPorts.readCsv(portsCsv)
        : ProvisionedPorts.synthetic(1, switches, portsPerSwitch, networks);
    return ArpWorkload.factory(ports, unknownShare);
  }

  private OFVersion version() {
    return switch (ofVersion) {
      case "1.0" -> OFVersion.OF_10;
      case "1.3" -> OFVersion.OF_13;
      default -> throw new CommandLine.ParameterException(new CommandLine(this),
          "--ofversion must be 1.0 or 1.3, was " + ofVersion);
    };
  }

  private String label() { return name != null ? name : controller; }
}
