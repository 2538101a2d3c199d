package dev.ferry.tests.harness;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFPacketIn;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.OFPort;

/** The hand-written packet-in bytes, read back by openflowj's decoder. */
class PacketInEncoderTest {

  @ParameterizedTest
  @EnumSource(value = OFVersion.class, names = {"OF_10", "OF_13"})
  void openflowjReadsWhatTheEncoderWrites(OFVersion version) throws Exception {
    byte[] frame = Frames.arpRequest(0x0e0000000001L, 0x0a000001, 0x0a000002);
    ByteBuf buf = Unpooled.buffer();
    PacketInEncoder.write(buf, version, 77, 1234, 3, frame);
    OFPacketIn pin = (OFPacketIn) OFFactories.getGenericReader().readFrom(buf);
    assertEquals(version, pin.getVersion());
    assertEquals(77, pin.getXid());
    assertEquals(1234, pin.getBufferId().getInt());
    assertArrayEquals(frame, pin.getData());
    OFPort inPort = version == OFVersion.OF_10 ? pin.getInPort() : pin.getMatch().get(MatchField.IN_PORT);
    assertEquals(OFPort.of(3), inPort);
    assertEquals(0, buf.readableBytes());
  }

  @org.junit.jupiter.api.Test
  void of13MetadataIsReadBackFromTheMatch() throws Exception {
    byte[] frame = Frames.arpRequest(0x0e0000000001L, 0x0a000001, 0x0a000002);
    ByteBuf buf = Unpooled.buffer();
    PacketInEncoder.write(buf, OFVersion.OF_13, 78, -1, 5, 0x1_0001_2345L, frame);
    OFPacketIn pin = (OFPacketIn) OFFactories.getGenericReader().readFrom(buf);
    assertEquals(OFPort.of(5), pin.getMatch().get(MatchField.IN_PORT));
    assertEquals(0x1_0001_2345L, pin.getMatch().get(MatchField.METADATA).getValue().getValue());
    assertArrayEquals(frame, pin.getData());
    assertEquals(0, buf.readableBytes());
  }
}
