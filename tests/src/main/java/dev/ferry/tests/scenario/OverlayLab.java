package dev.ferry.tests.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.controller.Ferry;
import dev.ferry.controller.FerryConfig;
import dev.ferry.controller.HostPort;
import dev.ferry.controller.cluster.LocalEtcd;
import dev.ferry.controller.store.EtcdLocation;
import dev.ferry.tests.lab.ContainerSpec;
import dev.ferry.tests.lab.Lab;
import dev.ferry.tests.lab.LabContainer;
import dev.ferry.tests.lab.LabHost;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A lab with Ferry in charge: Ferry runs in this JVM on the lab's controller address, every lab
 * host is registered with it through REST, and containers are added together with their REST
 * port. Everything a test does to the network goes through the REST API, as a user's would.
 */
public final class OverlayLab implements AutoCloseable {
  public static final String ADMIN_TOKEN = "lab-admin-token";
  private static final Duration TIMEOUT = Duration.ofSeconds(20);

  private final Lab lab;
  private final Ferry ferry;
  private final FerryApi api;
  /** The etcd this lab started for {@link StoreKind#ETCD}; null on SQLite. */
  private final LocalEtcd etcd;

  private OverlayLab(Lab lab, Ferry ferry, LocalEtcd etcd) {
    this.lab = lab;
    this.ferry = ferry;
    this.etcd = etcd;
    // Every write waits until the switches hold it: a test may ping right after it returns.
    this.api = new FerryApi("http://127.0.0.1:" + ferry.restPort(), ADMIN_TOKEN).waitingForSwitches();
  }

  /** Starts Ferry on the lab's controller address with its SQLite store in dataDir. */
  public static OverlayLab start(Lab lab, Path dataDir) {
    return start(lab, dataDir, StoreKind.SQLITE);
  }

  /**
   * Starts Ferry on the lab's controller address on the given store: SQLite in dataDir, or a
   * one-member etcd this lab starts (and stops on close), Ferry being a one-node cluster.
   */
  public static OverlayLab start(Lab lab, Path dataDir, StoreKind store) {
    FerryConfig config = new FerryConfig(new HostPort(lab.controllerIp(), Lab.CONTROLLER_PORT),
        new HostPort("127.0.0.1", 0), dataDir, ADMIN_TOKEN, Duration.ofSeconds(1), Duration.ofSeconds(3));
    LocalEtcd etcd = null;
    try {
      if (store == StoreKind.ETCD) {
        etcd = LocalEtcd.start(1);
        config = config.withEtcd(EtcdLocation.plain(etcd.hostPorts(), "lab"));
      }
      return new OverlayLab(lab, new Ferry(config).start(), etcd);
    } catch (RuntimeException e) {
      if (etcd != null) {
        etcd.close();
      }
      throw e;
    }
  }

  /**
   * Builds lab hosts (in parallel), registers each through REST, waits until it is connected
   * and holds the model (its first full reconcile finished).
   */
  public List<LabHost> addHosts(String... names) {
    List<LabHost> hosts = lab.addHosts(names);
    for (LabHost h : hosts) {
      api.createHost(h.name(), h.datapathIdHex(), h.tunnelIp());
    }
    hosts.forEach(this::awaitConnected);
    hosts.forEach(this::awaitInstalled);
    return hosts;
  }

  /** Waits until the host's switch finished a reconcile on its current connection. */
  private void awaitInstalled(LabHost host) {
    try {
      ferry.engine().reconcileNow(host.datapathId()).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(host.name() + " was not reconciled: " + e, e);
    }
  }

  /** Waits until the host's switch is connected and, on etcd, Ferry is its confirmed master. */
  public void awaitConnected(LabHost host) {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (ferry.openflow().registry().get(host.datapathId()).isEmpty() || !master(host)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(host.name() + " did not connect to Ferry (as its master) within " + TIMEOUT);
      }
      sleep(20);
    }
  }

  private boolean master(LabHost host) {
    if (etcd == null) {
      return true;
    }
    String dpid = String.format("%016x", host.datapathId());
    for (JsonNode d : api.get("/v1/cluster").path("masters_confirmed")) {
      if (d.asText().equals(dpid)) {
        return true;
      }
    }
    return false;
  }

  /** A container on a host, and its port in a network (same MAC and IP) through REST. */
  public LabContainer addContainer(LabHost host, String networkId, String name, String mac, String ipCidr) {
    LabContainer c = host.addContainer(ContainerSpec.of(name, mac, ipCidr));
    api.createPort(networkId, name, mac, c.ip(), host.name(), c.ovsPort());
    return c;
  }

  /**
   * A container that starts without an address, and its port through REST with the MAC only:
   * Ferry allocates the IP, which the container must learn by DHCP. Returns the container and
   * the port as REST answered.
   */
  public LabContainer addUnaddressedContainer(LabHost host, String networkId, String name, String mac) {
    LabContainer c = host.addContainer(ContainerSpec.unaddressed(name, mac));
    api.createPort(networkId, name, mac, null, host.name(), c.ovsPort());
    return c;
  }

  /**
   * Waits until every connected host has finished a reconcile that started after this call.
   * Not needed after this lab's own writes (they wait for the switches); for changes that are
   * not model writes (a learned uplink next hop, a port that appeared on a switch).
   */
  public void converge() {
    CompletableFuture<?>[] runs = lab.hosts().stream()
        .filter(h -> ferry.openflow().registry().get(h.datapathId()).isPresent())
        .map(h -> ferry.engine().reconcileNow(h.datapathId()))
        .toArray(CompletableFuture[]::new);
    try {
      CompletableFuture.allOf(runs).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("reconcile did not finish: " + e, e);
    }
  }

  /** The port's REST status ("bound", "unbound", "down"). */
  public String portState(String portName) {
    for (JsonNode p : api.get("/v1/ports")) {
      if (portName.equals(p.path("name").asText())) {
        return p.path("status").path("state").asText();
      }
    }
    throw new AssertionError("no port named " + portName);
  }

  public Lab lab() {
    return lab;
  }

  public Ferry ferry() {
    return ferry;
  }

  public FerryApi api() {
    return api;
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    try {
      ferry.close();
    } finally {
      if (etcd != null) {
        etcd.close();
      }
    }
  }
}
