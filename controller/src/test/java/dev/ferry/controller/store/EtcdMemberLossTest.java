package dev.ferry.controller.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ferry.apps.model.Tenant;
import dev.ferry.controller.cluster.LocalEtcd;
import org.junit.jupiter.api.Test;

/** 3 etcd members: one killed, writes and reads go on; two killed, writes fail with a clear 503. */
class EtcdMemberLossTest {

  @Test
  void oneMemberLostWritesGoOnTwoLostAClearUnavailable() {
    try (LocalEtcd etcd = LocalEtcd.start(3);
        EtcdStore store = EtcdStore.open(EtcdLocation.plain(etcd.hostPorts(), "loss"))) {
      store.create(Resource.TENANTS, new Tenant("a", "A", 0));
      for (LocalEtcd.Member m : etcd.members()) {
        // Kill whichever member comes first: the client may be on it, and it may be the leader.
        etcd.kill(m);
        break;
      }
      store.create(Resource.TENANTS, new Tenant("b", "B", 0));
      assertEquals(2, store.list(Resource.TENANTS).size());
      etcd.kill(etcd.members().get(1));
      Rejection r = assertThrows(Rejection.class, () -> store.create(Resource.TENANTS, new Tenant("c", "C", 0)));
      assertEquals(Rejection.Reason.UNAVAILABLE, r.reason());
      assertEquals(2, store.list(Resource.TENANTS).size(), "reads still answer from the model");
    }
  }
}
