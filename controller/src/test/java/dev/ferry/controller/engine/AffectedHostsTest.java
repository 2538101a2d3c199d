package dev.ferry.controller.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.apps.model.Host;
import dev.ferry.apps.model.Model;
import dev.ferry.apps.model.Network;
import dev.ferry.apps.model.Port;
import dev.ferry.apps.model.Tenant;
import dev.ferry.controller.store.ModelEvent;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which hosts a change concerns; found missing by ?wait=switches in RoutingTest. */
class AffectedHostsTest {
  private static final Tenant T = new Tenant("t", "T", 1);
  private static final List<Host> HOSTS = List.of(new Host("h1", 1, "192.0.2.1", null, 1),
      new Host("h2", 2, "192.0.2.2", null, 1), new Host("h3", 3, "192.0.2.3", null, 1));

  private static Network net(String id, int vni, String prefix, boolean gateway) {
    return new Network(id, "t", id, vni, prefix + ".0/24", gateway ? prefix + ".1" : null, true, 1450,
        null, null, 1);
  }

  private static Port port(String id, String network, String ip, String host) {
    return new Port(id, network, id, "02:00:00:00:00:0" + id.length(), ip, host, "veth-" + id, true, 1);
  }

  /** Two routed networks of one tenant (a on h1, b) and an unrouted one (c on h3). */
  private final List<Network> nets = List.of(net("a", 100, "10.1.0", true), net("b", 101, "10.2.0", true),
      net("c", 102, "10.3.0", false));
  private final Port a = port("pa", "a", "10.1.0.2", "h1");
  private final Port c = port("pccc", "c", "10.3.0.2", "h3");
  private final Model before = Model.of(List.of(T), nets, List.of(a, c), HOSTS, List.of());
  private final Port b = port("pbb", "b", "10.2.0.2", "h2");

  @Test
  void aPortInARoutedNetworkConcernsTheHostsOfTheTenantsOtherRoutedNetworks() {
    Model after = Model.of(List.of(T), nets, List.of(a, b, c), HOSTS, List.of());
    assertEquals(Set.of("h1", "h2"), AffectedHosts.of(before, after, null, b),
        "h1 routes into b; h3's network has no gateway, so no router joins it");
    Port c2 = port("pcc2", "c", "10.3.0.3", "h2");
    Model withC2 = Model.of(List.of(T), nets, List.of(a, b, c, c2), HOSTS, List.of());
    assertEquals(Set.of("h2", "h3"), AffectedHosts.of(after, withC2, null, c2),
        "an unrouted network concerns only its own hosts");
  }

  @Test
  void aDrainOfManyChangesConcernsTheUnionOfWhatEachConcerns() {
    Port c2 = port("pcc2", "c", "10.3.0.3", "h2");
    Model after = Model.of(List.of(T), nets, List.of(b, c, c2), HOSTS, List.of());
    List<ModelEvent> drain = List.of(new ModelEvent(ModelEvent.Kind.PORT, b.id(), null, b, 2),
        new ModelEvent(ModelEvent.Kind.PORT, c2.id(), null, c2, 3),
        new ModelEvent(ModelEvent.Kind.PORT, a.id(), a, null, 4));
    Set<String> union = new java.util.HashSet<>();
    drain.forEach(e -> union.addAll(AffectedHosts.of(before, after, e.oldValue(), e.newValue())));
    assertEquals(union, AffectedHosts.of(before, after, drain));
    assertEquals(Set.of("h1", "h2", "h3"), union);
  }
}
