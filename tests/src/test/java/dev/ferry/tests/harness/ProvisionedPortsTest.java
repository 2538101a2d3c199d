package dev.ferry.tests.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProvisionedPortsTest {
  @TempDir Path dir;

  @Test
  void csvRoundTripsAndBadLinesNameTheirPlace() throws Exception {
    List<ProvisionedPort> ports = ProvisionedPorts.synthetic(7, 2, 3, 2);
    Path csv = dir.resolve("ports.csv");
    ProvisionedPorts.writeCsv(ports, csv);
    assertEquals(ports, ProvisionedPorts.readCsv(csv));
    Files.writeString(csv, ProvisionedPorts.HEADER + "\nnet-a,not-a-mac,10.0.0.1,1,1\n");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ProvisionedPorts.readCsv(csv));
    assertTrue(e.getMessage().contains("ports.csv:2"), e.getMessage());
  }

  @Test
  void metadataColumnRoundTripsAndRidesOnTheProbes() {
    List<ProvisionedPort> ports = List.of(
        new ProvisionedPort("net-a", 0x020000000101L, 0x0a010001, 1, 1, 0x10001),
        new ProvisionedPort("net-a", 0x020000000102L, 0x0a010002, 1, 2, 0x10001));
    Path csv = dir.resolve("meta.csv");
    ProvisionedPorts.writeCsv(ports, csv);
    assertEquals(ports, ProvisionedPorts.readCsv(csv));
    Probe p = ArpWorkload.factory(ports, 0).forSwitch(new SwitchDescription(1, 2)).next(new SplittableRandom(1));
    assertEquals(0x10001, p.metadata());
  }

  @Test
  void arpProbesAskForPortsOfTheAskersOwnNetworkOrForNobody() {
    List<ProvisionedPort> ports = ProvisionedPorts.synthetic(1, 2, 4, 2);
    Workload w = ArpWorkload.factory(ports, 0.5).forSwitch(new SwitchDescription(1, 4));
    SplittableRandom random = new SplittableRandom(1);
    for (int i = 0; i < 200; i++) {
      Probe p = w.next(random);
      int asker = (int) (p.key() >>> 32);
      int asked = (int) p.key();
      ProvisionedPort from = ports.stream().filter(x -> x.ip() == asker).findFirst().orElseThrow();
      assertEquals(1, from.dpid());
      assertEquals(from.ofPort(), p.inPort());
      List<ProvisionedPort> target = ports.stream().filter(x -> x.ip() == asked).toList();
      if (p.expectsAnswer()) {
        assertEquals(from.network(), target.get(0).network());
        assertTrue(asked != asker);
      } else {
        assertTrue(target.isEmpty(), "unknown target must not be provisioned");
      }
      assertEquals(p.key(), ProbeKeys.of(p.frame()));
    }
  }
}
