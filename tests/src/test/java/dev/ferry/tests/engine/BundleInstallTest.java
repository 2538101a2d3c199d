package dev.ferry.tests.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.southbound.OpenFlowServer;
import dev.ferry.southbound.SouthboundConfig;
import dev.ferry.southbound.SwitchHandle;
import dev.ferry.southbound.SwitchListener;
import dev.ferry.southbound.flow.FlowReconciler;
import dev.ferry.southbound.flow.ReconcileResult;
import dev.ferry.southbound.flow.ReconcileResult.InstalledAs;
import dev.ferry.tests.bench.PipelineFlows;
import dev.ferry.tests.harness.EmulatedSwitch;
import dev.ferry.tests.harness.EmulatorConfig;
import dev.ferry.tests.harness.SwitchEmulator;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.protocol.OFVersion;

/**
 * A reconcile of more than a few messages goes to an OF1.3 switch as one ONF bundle; a switch
 * that refuses bundles gets the same change message by message. The emulated switch applies a
 * bundle only on commit, as OVS does.
 */
class BundleInstallTest {
  private final FlowReconciler reconciler = new FlowReconciler();

  @Test
  void aLargeReconcileIsOneBundleAndASmallOneIsPlain() throws Exception {
    try (Setup s = new Setup()) {
      ReconcileResult fresh = reconciler.reconcile(s.sw, PipelineFlows.desired(500)).get(30, TimeUnit.SECONDS);
      assertEquals(InstalledAs.BUNDLE, fresh.installedAs(), fresh::toString);
      assertEquals(500, s.emulated.flowCount());
      assertEquals(1, s.emulated.bundlesCommitted());
      assertEquals(500, s.sw.counters().flowModsSent(), "bundled flow-mods are counted as flow-mods");

      ReconcileResult small = reconciler.update(s.sw, fresh.installed(), PipelineFlows.desired(503))
          .get(30, TimeUnit.SECONDS);
      assertEquals(InstalledAs.PLAIN, small.installedAs(), small::toString);
      assertEquals(3, small.flowsAdded());
      assertEquals(503, s.emulated.flowCount());
      assertEquals(1, s.emulated.bundlesCommitted());
      assertEquals(0, s.sw.counters().errorsReceived());
    }
  }

  @Test
  void aSwitchThatRefusesBundlesGetsTheChangeMessageByMessage() throws Exception {
    try (Setup s = new Setup()) {
      s.emulated.refuseBundles(true);
      ReconcileResult r = reconciler.reconcile(s.sw, PipelineFlows.desired(200)).get(30, TimeUnit.SECONDS);
      assertEquals(InstalledAs.PLAIN_BUNDLES_REFUSED, r.installedAs(), r::toString);
      assertEquals(200, s.emulated.flowCount());
      assertEquals(0, s.emulated.bundlesCommitted());
      ReconcileResult told = reconciler.reconcile(s.sw, PipelineFlows.desired(100), false).get(30, TimeUnit.SECONDS);
      assertEquals(InstalledAs.PLAIN, told.installedAs(), "told not to bundle, it does not try: " + told);
      assertEquals(100, s.emulated.flowCount());
    }
  }

  /** A southbound server with one emulated OF1.3 switch connected to it. */
  private static final class Setup implements AutoCloseable {
    final OpenFlowServer server;
    final SwitchEmulator emulator;
    final EmulatedSwitch emulated;
    final SwitchHandle sw;

    Setup() throws Exception {
      CompletableFuture<SwitchHandle> ready = new CompletableFuture<>();
      server = new OpenFlowServer(SouthboundConfig.defaults()
          .withBindAddress(new InetSocketAddress("127.0.0.1", 0)));
      server.addListener(new SwitchListener() {
        @Override
        public void switchReady(SwitchHandle handle) {
          ready.complete(handle);
        }
      });
      server.start();
      emulator = SwitchEmulator.connect(EmulatorConfig.of("127.0.0.1",
          server.boundAddress().getPort(), 1, OFVersion.OF_13));
      emulated = emulator.switches().get(0);
      sw = ready.get(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
      emulator.close();
      server.close();
    }
  }

}
