package dev.ferry.apps.packetin;

import static dev.ferry.apps.testing.SeedScenario.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.apps.compile.HostCompiler;
import dev.ferry.apps.pipeline.NetworkMetadata;
import dev.ferry.apps.trace.Packet;
import dev.ferry.apps.trace.PacketTracer;
import dev.ferry.apps.trace.TraceResult;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PacketInNetworkTest {
  @Test
  void theMetadataOfACompiledDhcpPacketInNamesTheSendersNetwork() {
    // host1: veth-a1 = 2 (net-a), veth-b1 = 3 (net-b); same IP in both networks.
    TraceResult r = new PacketTracer(HostCompiler.compile(MODEL, BINDINGS, "host1"))
        .trace(Packet.at(3).eth(B1.mac(), "ff:ff:ff:ff:ff:ff").ipv4("0.0.0.0", "255.255.255.255")
            .udp(68, 67));
    Packet in = r.toController().get(0);
    assertEquals(Optional.of(NET_B),
        PacketInNetwork.resolve(MODEL, BINDINGS, "host1", in.inPort(), in.metadata()));
  }

  @Test
  void refusesAPacketInWhoseMetadataDisagreesWithItsInPort() {
    assertTrue(PacketInNetwork.resolve(MODEL, BINDINGS, "host1", 3, NetworkMetadata.of(100))
        .isEmpty());
  }

  @Test
  void refusesUnknownInPortsAndUnknownNetworks() {
    assertTrue(PacketInNetwork.resolve(MODEL, BINDINGS, "host1", 9, 100).isEmpty());
    assertTrue(PacketInNetwork.resolve(MODEL, BINDINGS, "host1", 2, 300).isEmpty());
  }
}
