package dev.ferry.apps.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A model updated change by change ({@link Model#with}, {@link Model#without}) equals, with its
 * index, the model built from scratch from the same objects, after every step of random change
 * sequences: objects of every kind created, replaced and deleted, ports moved between networks
 * and hosts and readdressed, duplicate addresses, VNIs and datapath ids (first by id wins), and
 * each earlier snapshot still shows what it showed (persistence: no change leaks backwards).
 */
class PersistentModelTest {
  private static final int STEPS = 300;

  static LongStream seeds() {
    return LongStream.range(0, 30);
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void incrementalEqualsScratchAfterEveryChange(long seed) {
    Random r = new Random(seed);
    Plain plain = new Plain();
    Model incremental = Model.EMPTY;
    List<Model> earlier = new ArrayList<>();
    List<Model> earlierScratch = new ArrayList<>();
    for (int step = 0; step < STEPS; step++) {
      Object o = plain.randomObject(r, step);
      boolean remove = r.nextInt(4) == 0 && plain.contains(o);
      if (remove) {
        plain.remove(o);
        incremental = incremental.without(o);
      } else {
        plain.put(o);
        incremental = incremental.with(o);
      }
      Model scratch = plain.model();
      String where = "seed " + seed + " step " + step + (remove ? " remove " : " put ") + o;
      assertEquals(scratch, incremental, where);
      assertEquals(scratch.index(), incremental.index(), where);
      assertSameLookups(scratch, incremental, where);
      if (step % 50 == 0) {
        earlier.add(incremental);
        earlierScratch.add(scratch);
      }
    }
    for (int i = 0; i < earlier.size(); i++) {
      assertEquals(earlierScratch.get(i), earlier.get(i), "seed " + seed + " snapshot " + i + " unchanged");
      assertEquals(ModelIndex.of(earlierScratch.get(i)), earlier.get(i).index(), "seed " + seed + " index " + i);
    }
    Model labelled = incremental.withVersion(7);
    assertNotSame(incremental, labelled);
    assertEquals(7, labelled.version());
    assertEquals(incremental.ports(), labelled.ports());
  }

  /** The public lookups agree too, for every key the model has and some it has not. */
  private static void assertSameLookups(Model scratch, Model inc, String where) {
    for (String n : List.of("n0", "n1", "n2", "n3", "nx")) {
      assertEquals(scratch.portsOf(n), inc.portsOf(n), where + " portsOf " + n);
      assertEquals(scratch.gatewayAddress(n), inc.gatewayAddress(n), where + " gateway " + n);
      for (int ip = 1; ip < 6; ip++) {
        int addr = (10 << 24) | ip;
        assertEquals(scratch.portByIp(n, addr), inc.portByIp(n, addr), where + " portByIp");
        assertEquals(scratch.portMacByIp(n, addr), inc.portMacByIp(n, addr), where + " portMacByIp");
      }
    }
    for (String t : List.of("t0", "t1", "t2", "tx")) {
      assertEquals(scratch.networksOf(t), inc.networksOf(t), where + " networksOf " + t);
    }
    for (String h : List.of("h0", "h1", "h2", "hx")) {
      assertEquals(scratch.portsOnHost(h), inc.portsOnHost(h), where + " portsOnHost " + h);
      for (int i = 0; i < 4; i++) {
        assertEquals(scratch.portOnInterface(h, "if" + i), inc.portOnInterface(h, "if" + i), where + " interface");
      }
    }
    for (long dpid = 0; dpid < 4; dpid++) {
      assertEquals(scratch.hostByDatapathId(dpid), inc.hostByDatapathId(dpid), where + " dpid " + dpid);
    }
    for (int vni = 0; vni < 4; vni++) {
      assertEquals(scratch.networkByVni(vni), inc.networkByVni(vni), where + " vni " + vni);
    }
    assertEquals(Optional.empty(), inc.networkByVni(99));
  }

  /** The same objects in plain maps, from which the scratch model is built. */
  private static final class Plain {
    final Map<Class<?>, Map<String, Object>> byKind = new HashMap<>();

    static String id(Object o) {
      if (o instanceof Host h) {
        return h.name();
      } else if (o instanceof Tenant t) {
        return t.id();
      } else if (o instanceof Network n) {
        return n.id();
      } else if (o instanceof Port p) {
        return p.id();
      } else if (o instanceof FloatingIp f) {
        return f.id();
      } else if (o instanceof SecurityGroup g) {
        return g.id();
      } else if (o instanceof SecurityGroupRule x) {
        return x.id();
      }
      throw new IllegalArgumentException(String.valueOf(o));
    }

    Map<String, Object> kind(Class<?> c) {
      return byKind.computeIfAbsent(c, k -> new TreeMap<>());
    }

    boolean contains(Object o) {
      return kind(o.getClass()).containsKey(id(o));
    }

    void put(Object o) {
      kind(o.getClass()).put(id(o), o);
    }

    void remove(Object o) {
      kind(o.getClass()).remove(id(o));
    }

    @SuppressWarnings("unchecked")
    <T> Map<String, T> of(Class<T> c) {
      return new HashMap<>((Map<String, T>) (Map<String, ?>) kind(c));
    }

    Model model() {
      return new Model(of(Tenant.class), of(Network.class), of(Port.class), of(Host.class),
          of(FloatingIp.class), of(SecurityGroup.class), of(SecurityGroupRule.class), 0);
    }

    /** A new object or a new version of an existing one (small id spaces, so collisions are common). */
    Object randomObject(Random r, int rev) {
      String t = "t" + r.nextInt(3);
      return switch (r.nextInt(10)) {
        case 0 -> new Tenant(t, "tenant " + t, rev);
        case 1 -> {
          String n = "n" + r.nextInt(4);
          String gw = r.nextBoolean() ? "10.0.0." + (1 + r.nextInt(3)) : null;
          yield new Network(n, t, n, r.nextInt(4), "10.0.0.0/24", gw, r.nextBoolean(), 1450, null,
              r.nextInt(3) == 0 ? "h" + r.nextInt(3) : null, rev);
        }
        case 2 -> new Host("h" + r.nextInt(3), r.nextInt(4), "192.0.2." + r.nextInt(9), null, rev);
        case 3 -> new FloatingIp("f" + r.nextInt(3), t, "203.0.113." + r.nextInt(9),
            r.nextBoolean() ? "p" + r.nextInt(12) : null, rev);
        case 4 -> new SecurityGroup("g" + r.nextInt(3), t, "g", "", rev);
        case 5 -> new SecurityGroupRule("r" + r.nextInt(4), "g" + r.nextInt(3), SecurityGroupRule.INGRESS,
            null, null, null, null, null, null, r.nextBoolean() ? "g0" : null, rev);
        default -> {
          String p = "p" + r.nextInt(12);
          String host = r.nextInt(4) == 0 ? null : "h" + r.nextInt(3);
          String iface = r.nextInt(5) == 0 ? null : "if" + r.nextInt(4);
          String ip = r.nextInt(5) == 0 ? null : "10.0.0." + (1 + r.nextInt(5));
          String mac = r.nextInt(5) == 0 ? null : String.format("02:00:00:00:00:%02x", r.nextInt(256));
          yield new Port(p, "n" + r.nextInt(4), p, mac, ip, host, iface, r.nextBoolean(),
              r.nextBoolean() ? null : List.of("g" + r.nextInt(3)), rev);
        }
      };
    }
  }
}
