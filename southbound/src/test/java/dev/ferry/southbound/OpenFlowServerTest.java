package dev.ferry.southbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.southbound.channel.SwitchConnection;
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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
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
  void aSwitchThatGoesSilentInTheHandshakeIsClosedToo() throws Exception {
    CompletableFuture<SwitchHandle> ready = new CompletableFuture<>();
    start(SouthboundConfig.defaults().withKeepalive(Duration.ofMillis(100),
        Duration.ofMillis(300)), ready, new CompletableFuture<>());
    RawSwitch sw = new RawSwitch(connect(4096));
    assertEquals(OFType.HELLO, sw.read().getType()); // and never answers anything

    boolean echoed = false;
    try {
      while (true) {
        echoed |= sw.read().getType() == OFType.ECHO_REQUEST;
      }
    } catch (EOFException closedByController) {
      // expected: long before the 10 s handshake timeout
    }
    assertTrue(echoed, "probed before being declared dead");
    assertFalse(ready.isDone());
  }

  /**
   * The controller's own pause (a full GC, a blocked event loop) is not the switch's silence:
   * with the loop blocked for three dead timeouts while the switch answers every echo, the
   * switch stays connected and keeps being probed afterwards.
   */
  @Test
  void aStalledControllerDoesNotBlameAnAnsweringSwitch() throws Exception {
    CompletableFuture<SwitchHandle> ready = new CompletableFuture<>();
    CompletableFuture<SwitchHandle> gone = new CompletableFuture<>();
    // echoes far enough apart that none is outstanding when the stall starts (submitted right
    // after a reply), so nothing waits in the socket during the stall to save a naive keepalive
    long echoMs = 300;
    long deadMs = 600;
    start(SouthboundConfig.defaults().withKeepalive(Duration.ofMillis(echoMs),
        Duration.ofMillis(deadMs)), ready, gone);
    RawSwitch sw = new RawSwitch(connect(4096)).handshake(11);
    SwitchHandle handle = ready.get(5, TimeUnit.SECONDS);
    AnsweringSwitch answering = new AnsweringSwitch(sw);

    answering.awaitEchoes(2); // the keepalive runs before the stall
    CountDownLatch blocked = new CountDownLatch(1);
    ((SwitchConnection) handle).eventLoop().execute(() -> {
      blocked.countDown();
      sleepUninterruptibly(3 * deadMs); // the stimulus: the controller's loop does not run
    });
    blocked.await();
    int beforeStall = answering.echoes();

    // after the stall the keepalive resumes: more than one dead timeout of probes, answered
    answering.awaitEchoes(beforeStall + (int) (3 * deadMs / (2 * echoMs)));
    assertFalse(gone.isDone(), "the switch answered every echo; the silence was the controller's");
    assertTrue(handle.isConnected());
    answering.stop();
  }

  @Test
  void aSwitchSilentAfterAControllerStallIsStillDeclaredDead() throws Exception {
    CompletableFuture<SwitchHandle> ready = new CompletableFuture<>();
    CompletableFuture<SwitchHandle> gone = new CompletableFuture<>();
    start(SouthboundConfig.defaults().withKeepalive(Duration.ofMillis(100),
        Duration.ofMillis(400)), ready, gone);
    RawSwitch sw = new RawSwitch(connect(4096)).handshake(12);
    SwitchHandle handle = ready.get(5, TimeUnit.SECONDS);
    ((SwitchConnection) handle).eventLoop().execute(
        () -> sleepUninterruptibly(1200));

    // never answers: closed once the controller has run a dead timeout without hearing it
    assertEquals(12, gone.get(10, TimeUnit.SECONDS).datapathId());
    sw.socket.close();
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

  private static void sleepUninterruptibly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Answers every echo request of the controller on its own thread, counting them. */
  private static final class AnsweringSwitch {
    private final RawSwitch sw;
    private final AtomicInteger echoes = new AtomicInteger();
    private final Thread thread;

    AnsweringSwitch(RawSwitch sw) {
      this.sw = sw;
      this.thread = new Thread(this::run, "answering-switch");
      thread.setDaemon(true);
      thread.start();
    }

    private void run() {
      try {
        while (true) {
          OFMessage m = sw.read();
          if (m.getType() == OFType.ECHO_REQUEST) {
            sw.write(OF13.buildEchoReply().setXid(m.getXid()).setData(new byte[0]).build());
            synchronized (echoes) {
              echoes.incrementAndGet();
              echoes.notifyAll();
            }
          }
        }
      } catch (Exception closed) {
        synchronized (echoes) {
          echoes.set(-1_000_000);
          echoes.notifyAll();
        }
      }
    }

    int echoes() {
      return echoes.get();
    }

    /** Waits until {@code n} echoes were answered; fails if the controller closed first. */
    void awaitEchoes(int n) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      synchronized (echoes) {
        while (echoes.get() < n) {
          assertTrue(echoes.get() >= 0, "the controller closed the connection");
          long left = deadline - System.nanoTime();
          assertTrue(left > 0, "only " + echoes.get() + " of " + n + " echoes in 20 s");
          TimeUnit.NANOSECONDS.timedWait(echoes, left);
        }
      }
    }

    void stop() throws IOException {
      sw.socket.close();
    }
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
      assertEquals(OFType.HELLO, handshakeRead().getType());
      write(OF13.buildHello().setElements(List.of(OF13.buildHelloElemVersionbitmap()
          .setBitmaps(List.of(U32.of(1 << 4))).build())).build());
      OFFeaturesRequest features = (OFFeaturesRequest) handshakeRead();
      write(OF13.buildFeaturesReply().setXid(features.getXid()).setDatapathId(DatapathId.of(dpid))
          .build());
      OFPortDescStatsRequest ports = (OFPortDescStatsRequest) handshakeRead();
      write(OF13.buildPortDescStatsReply().setXid(ports.getXid()).setEntries(List.of()).build());
      assertEquals(OFType.SET_CONFIG, handshakeRead().getType());
      OFBarrierRequest barrier = (OFBarrierRequest) handshakeRead();
      write(OF13.buildBarrierReply().setXid(barrier.getXid()).build());
      return this;
    }

    /** The next message, answering the keepalive's echoes on the way (slow machines). */
    private OFMessage handshakeRead() throws Exception {
      while (true) {
        OFMessage m = read();
        if (m.getType() != OFType.ECHO_REQUEST) {
          return m;
        }
        write(OF13.buildEchoReply().setXid(m.getXid()).setData(new byte[0]).build());
      }
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
