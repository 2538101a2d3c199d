package dev.ferry.controller.store;

import dev.ferry.controller.cluster.LocalEtcd;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;

/**
 * The store contract on etcd: one real etcd for the class, a fresh key prefix per test, and
 * the peer is a second EtcdStore (a second node) on the same etcd.
 */
class EtcdStoreContractTest extends StoreContractTest {

  private static LocalEtcd etcd;
  private EtcdLocation location;

  @BeforeAll
  static void startEtcd() {
    etcd = LocalEtcd.start(1);
  }

  @AfterAll
  static void stopEtcd() {
    if (etcd != null) {
      etcd.close();
    }
  }

  @BeforeEach
  void prefix(TestInfo test) {
    location = EtcdLocation.plain(etcd.hostPorts(), "t-" + test.getTestMethod().orElseThrow().getName()
        + "-" + System.nanoTime());
  }

  @Override
  protected Store openStore() {
    return EtcdStore.open(location);
  }

  @Override
  protected Store peer(Store store) {
    return EtcdStore.open(location);
  }
}
