package dev.ferry.southbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.protocol.OFBarrierRequest;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFFeaturesRequest;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFPortDescStatsRequest;
import org.projectfloodlight.openflow.protocol.OFType;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.types.DatapathId;
import org.projectfloodlight.openflow.types.TableId;
import org.projectfloodlight.openflow.types.U32;

/** The real server on loopback, with a hand-written switch on a plain socket. */
class OpenFlowServerTest {
  private static final OFFactory OF13 = OFFactories.getFactory(OFVersion.OF_13);
  private OpenFlowServer server;
  private final List<Socket> sockets = new ArrayList<>();

  @AfterEach
  void stop() throws IOException {
    for (Socket s : sockets) {
      s.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void aSwitchConnectsOverTcpAndBecomesReady() throws Exception {
    CompletableFuture<SwitchHandle> ready = new CompletableFuture<>();
    start(SouthboundConfig.defaults(), ready, new CompletableFuture<>());
    assertTrue(server.boundAddress().getPort() > 0);

    RawSwitch sw = new RawSwitch(connect(4096)).handshake(0xabcL);

    SwitchHandle handle = ready.get(5, TimeUnit.SECONDS);
    assertEquals(0xabcL, handle.datapathId());
    assertEquals(handle, server.registry().get(0xabcL).orElseThrow());
    assertTrue(handle.connectedSince() != null && handle.remoteAddress() != null);
    sw.socket.close();
  }

  @Test
  void aSwitchThatStopsAnsweringEchoesIsClosed() throws Exception {
    CompletableFuture<SwitchHandle> gone = new CompletableFuture<>();
    start(SouthboundConfig.defaults().withKeepalive(Duration.ofMillis(100),
        Duration.ofMillis(300)), new CompletableFuture<>(), gone);
    RawSwitch sw = new RawSwitch(connect(4096)).handshake(7);

    int echoes = 0;
    try {
      while (true) {
        if (sw.read().getType() == OFType.ECHO_REQUEST) {
          echoes++;
        }
      }
    } catch (EOFException closedByController) {
      // expected
    }
    assertTrue(echoes >= 1, "probed before being declared dead");
    assertEquals(7, gone.get(5, TimeUnit.SECONDS).datapathId());
  }

  @Test
  void aSwitchThatStopsReadingIsDeclaredStuckInsteadOfGrowingMemory() throws Exception {
    CompletableFuture<SwitchHandle> ready = new CompletableFuture<>();
    CompletableFuture<SwitchHandle> gone = new CompletableFuture<>();
    start(SouthboundConfig.defaults().withWriteWaterMarks(8 * 1024, 32 * 1024)
            .withStuckLimits(Duration.ofMillis(300), 1_000_000),
        ready, gone);
    new RawSwitch(connect(4096)).handshake(9); // and then never reads again
    SwitchHandle handle = ready.get(5, TimeUnit.SECONDS);

    List<OFMessage> batch = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      batch.add(OF13.buildFlowAdd().setTableId(TableId.of(0)).setPriority(i)
          .setMatch(OF13.buildMatch().build()).setInstructions(List.of()).build());
    }
    List<CompletableFuture<Void>> pending = new ArrayList<>();
    while (!gone.isDone() && pending.size() < 100) {
      pending.add(handle.sendWithBarrier(batch));
      Thread.sleep(20);
    }

    assertEquals(9, gone.get(10, TimeUnit.SECONDS).datapathId());
    assertTrue(pending.stream().allMatch(CompletableFuture::isCompletedExceptionally),
        "callers learn that their messages will never arrive");
  }

  @Test
  void oneEventLoopPerProcessorUnlessConfigured() throws Exception {
    // Netty's default (two per processor) makes busy loops on one core wait for each other's
    // time slice: multi-millisecond packet-in stalls (docs/performance.md, latency mode).
    start(SouthboundConfig.defaults(), new CompletableFuture<>(), new CompletableFuture<>());
    assertEquals(Runtime.getRuntime().availableProcessors(), server.eventLoops());
    server.close();
    start(SouthboundConfig.defaults().withWorkerThreads(3), new CompletableFuture<>(),
        new CompletableFuture<>());
    assertEquals(3, server.eventLoops());
  }

  private void start(SouthboundConfig config, CompletableFuture<SwitchHandle> ready,
      CompletableFuture<SwitchHandle> gone) throws InterruptedException {
    server = new OpenFlowServer(config.withBindAddress(new InetSocketAddress("127.0.0.1", 0)))
        .addListener(new SwitchListener() {
          @Override
          public void switchReady(SwitchHandle sw) {
            ready.complete(sw);
          }

          @Override
          public void switchDisconnected(SwitchHandle sw) {
            gone.complete(sw);
          }
        })
        .start();
  }

  private Socket connect(int receiveBuffer) throws IOException {
    Socket socket = new Socket();
    socket.setReceiveBufferSize(receiveBuffer);
    socket.connect(server.boundAddress(), 2000);
    socket.setSoTimeout(5000);
    sockets.add(socket);
    return socket;
  }

  /** Just enough of a switch to finish the handshake over a real socket. */
  private static final class RawSwitch {
    final Socket socket;
    final DataInputStream in;
    final OutputStream out;

    RawSwitch(Socket socket) throws IOException {
      this.socket = socket;
      this.in = new DataInputStream(socket.getInputStream());
      this.out = socket.getOutputStream();
    }

    RawSwitch handshake(long dpid) throws Exception {
      assertEquals(OFType.HELLO, read().getType());
      write(OF13.buildHello().setElements(List.of(OF13.buildHelloElemVersionbitmap()
          .setBitmaps(List.of(U32.of(1 << 4))).build())).build());
      OFFeaturesRequest features = (OFFeaturesRequest) read();
      write(OF13.buildFeaturesReply().setXid(features.getXid()).setDatapathId(DatapathId.of(dpid))
          .build());
      OFPortDescStatsRequest ports = (OFPortDescStatsRequest) read();
      write(OF13.buildPortDescStatsReply().setXid(ports.getXid()).setEntries(List.of()).build());
      assertEquals(OFType.SET_CONFIG, read().getType());
      OFBarrierRequest barrier = (OFBarrierRequest) read();
      write(OF13.buildBarrierReply().setXid(barrier.getXid()).build());
      return this;
    }

    OFMessage read() throws Exception {
      byte[] header = new byte[8];
      in.readFully(header);
      int length = ((header[2] & 0xFF) << 8) | (header[3] & 0xFF);
      byte[] whole = new byte[length];
      System.arraycopy(header, 0, whole, 0, 8);
      in.readFully(whole, 8, length - 8);
      return OFFactories.getGenericReader().readFrom(Unpooled.wrappedBuffer(whole));
    }

    void write(OFMessage message) throws IOException {
      ByteBuf buf = Unpooled.buffer();
      message.writeTo(buf);
      byte[] bytes = new byte[buf.readableBytes()];
      buf.readBytes(bytes);
      out.write(bytes);
      out.flush();
    }
  }
}
