package dev.ferry.southbound.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.ferry.southbound.SwitchHandle;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.projectfloodlight.openflow.protocol.OFBarrierRequest;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFFeaturesRequest;
import org.projectfloodlight.openflow.protocol.OFHello;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFPortDesc;
import org.projectfloodlight.openflow.protocol.OFPortDescStatsRequest;
import org.projectfloodlight.openflow.protocol.OFSetConfig;
import org.projectfloodlight.openflow.protocol.OFStatsReplyFlags;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.types.DatapathId;
import org.projectfloodlight.openflow.types.OFPort;

/**
 * The switch side of one connection, driven by hand: an EmbeddedChannel running Ferry's real
 * pipeline (framing, codec, handler). {@link #receive} plays bytes from the switch into the
 * controller; {@link #nextSent} decodes what the controller wrote back.
 */
public final class FakeSwitch {
  public static final OFFactory OF13 = OFFactories.getFactory(OFVersion.OF_13);

  public final EmbeddedChannel channel;
  final SouthboundContext context;

  public FakeSwitch(SouthboundContext context) {
    this.context = context;
    this.channel = new EmbeddedChannel(new ChannelInitializer<EmbeddedChannel>() {
      @Override
      protected void initChannel(EmbeddedChannel ch) {
        SwitchPipeline.install(ch.pipeline(), context);
      }
    });
  }

  public SwitchChannelHandler handler() {
    return channel.pipeline().get(SwitchChannelHandler.class);
  }

  public HandshakeState state() {
    return handler().state();
  }

  public SwitchHandle handle() {
    return handler().handle();
  }

  public SwitchConnection connection() {
    return (SwitchConnection) handle();
  }

  /** The switch sends this message to the controller. */
  public void receive(OFMessage message) {
    ByteBuf bytes = Unpooled.buffer();
    message.writeTo(bytes);
    receiveBytes(bytes);
  }

  public void receiveBytes(ByteBuf bytes) {
    channel.writeInbound(bytes);
    channel.runPendingTasks();
  }

  /** The next message the controller wrote, or null when it wrote nothing more. */
  public OFMessage nextSent() {
    channel.runPendingTasks();
    ByteBuf bytes = channel.readOutbound();
    if (bytes == null) {
      return null;
    }
    try {
      return OFFactories.getGenericReader().readFrom(bytes);
    } catch (Exception e) {
      throw new AssertionError("controller wrote undecodable bytes", e);
    } finally {
      bytes.release();
    }
  }

  public <T extends OFMessage> T expectSent(Class<T> type) {
    OFMessage message = nextSent();
    assertNotNull(message, "expected the controller to send " + type.getSimpleName());
    return assertInstanceOf(type, message);
  }

  public List<OFMessage> allSent() {
    List<OFMessage> all = new ArrayList<>();
    for (OFMessage m = nextSent(); m != null; m = nextSent()) {
      all.add(m);
    }
    return all;
  }

  public boolean isOpen() {
    channel.runPendingTasks();
    return channel.isOpen();
  }

  // ---- the story of a switch that connects ----

  public OFHello controllerHello() {
    return expectSent(OFHello.class);
  }

  public void sayHello() {
    receive(OF13.buildHello().setXid(1).setElements(List.of(OF13.buildHelloElemVersionbitmap()
        .setBitmaps(List.of(org.projectfloodlight.openflow.types.U32.of(1 << 4))).build())).build());
  }

  public void answerFeatures(OFFeaturesRequest request, long dpid) {
    receive(OF13.buildFeaturesReply().setXid(request.getXid())
        .setDatapathId(DatapathId.of(dpid)).setNBuffers(0).setNTables((short) 254).build());
  }

  public void answerPortDesc(OFPortDescStatsRequest request, List<OFPortDesc> ports, boolean more) {
    receive(OF13.buildPortDescStatsReply().setXid(request.getXid())
        .setFlags(more ? Set.of(OFStatsReplyFlags.REPLY_MORE) : Set.of())
        .setEntries(ports).build());
  }

  public static OFPortDesc port(int number, String name) {
    return OF13.buildPortDesc().setPortNo(OFPort.of(number)).setName(name)
        .setHwAddr(org.projectfloodlight.openflow.types.MacAddress.of(0x020000000000L + number))
        .build();
  }

  /** Runs the whole handshake and leaves the connection READY. */
  public FakeSwitch connectAs(long dpid) {
    controllerHello();
    sayHello();
    answerFeatures(expectSent(OFFeaturesRequest.class), dpid);
    answerPortDesc(expectSent(OFPortDescStatsRequest.class),
        List.of(port(1, "vxlan0"), port(2, "tap1")), false);
    expectSent(OFSetConfig.class);
    OFBarrierRequest barrier = expectSent(OFBarrierRequest.class);
    receive(OF13.buildBarrierReply().setXid(barrier.getXid()).build());
    assertEquals(HandshakeState.READY, state());
    return this;
  }
}
