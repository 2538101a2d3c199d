package dev.ferry.tests.harness;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.projectfloodlight.openflow.protocol.OFCapabilities;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFFeaturesReply;
import org.projectfloodlight.openflow.protocol.OFPortDesc;
import org.projectfloodlight.openflow.protocol.OFPortFeatures;
import org.projectfloodlight.openflow.protocol.OFPortState;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.types.DatapathId;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.OFPort;

/** What an emulated switch says about itself: datapath id and its ports 1..N. */
public record SwitchDescription(long dpid, int portCount) {

  /**
   * Every emulated switch also has a flow-based VXLAN port, named as on a real Ferry host, so
   * that a controller that compiles tunnel flows sees a complete host (load workloads never
   * send from it).
   */
  public static final int TUNNEL_PORT = 0xff00;
  public static final String TUNNEL_PORT_NAME = "vxlan0";

  /** Port MAC: 02:dpid(4 bytes):port, locally administered and unique per (dpid, port). */
  public MacAddress portMac(int port) {
    return MacAddress.of(0x020000000000L | ((dpid & 0xffffffL) << 16) | (port & 0xffff));
  }

  public String portName(int port) {
    return port == TUNNEL_PORT ? TUNNEL_PORT_NAME : "s" + dpid + "-eth" + port;
  }

  private List<Integer> portNumbers() {
    List<Integer> numbers = new ArrayList<>(portCount + 1);
    for (int p = 1; p <= portCount; p++) {
      numbers.add(p);
    }
    numbers.add(TUNNEL_PORT);
    return numbers;
  }

  public List<OFPortDesc> ports(OFFactory factory) {
    List<OFPortDesc> ports = new ArrayList<>(portCount);
    Set<OFPortFeatures> speed = EnumSet.of(OFPortFeatures.PF_10GB_FD, OFPortFeatures.PF_COPPER);
    for (int p : portNumbers()) {
      OFPortDesc.Builder b = factory.buildPortDesc()
          .setPortNo(OFPort.of(p))
          .setHwAddr(portMac(p))
          .setName(portName(p))
          .setState(factory.getVersion() == OFVersion.OF_10 ? EnumSet.noneOf(OFPortState.class)
              : EnumSet.of(OFPortState.LIVE))
          .setCurr(speed)
          .setSupported(speed);
      if (factory.getVersion() != OFVersion.OF_10) {
        b.setCurrSpeed(10_000_000L).setMaxSpeed(10_000_000L);
      }
      ports.add(b.build());
    }
    return ports;
  }

  public OFFeaturesReply featuresReply(OFFactory factory, long xid) {
    OFFeaturesReply.Builder b = factory.buildFeaturesReply()
        .setXid(xid)
        .setDatapathId(DatapathId.of(dpid))
        .setNBuffers(256)
        .setNTables((short) 254)
        .setCapabilities(EnumSet.of(OFCapabilities.FLOW_STATS, OFCapabilities.TABLE_STATS,
            OFCapabilities.PORT_STATS));
    if (factory.getVersion() == OFVersion.OF_10) {
      b.setPorts(ports(factory)).setActions(EnumSet.noneOf(
          org.projectfloodlight.openflow.protocol.OFActionType.class));
    }
    return b.build();
  }
}
