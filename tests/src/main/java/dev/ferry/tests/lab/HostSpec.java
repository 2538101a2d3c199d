package dev.ferry.tests.lab;

/**
 * How to build one simulated host. Unset fields take lab defaults: the lab's controller target,
 * tunnel IP 192.168.5.(index+1), datapath id = index (1, 2, ...).
 *
 * @param protocols       OpenFlow versions br-int accepts, e.g. "OpenFlow13" or "OpenFlow13,OpenFlow14"
 * @param controller      OVS controller target; null = the lab's, "" = no controller
 * @param datapathId      null = the host's index
 * @param bare            true: no br-int, vxlan0 or controller; OVS and the underlay only (for host-setup tests)
 */
public record HostSpec(String name, String protocols, String controller, Long datapathId, boolean bare) {
    public static final String OPENFLOW13 = "OpenFlow13";
    public static final String OPENFLOW13_14 = "OpenFlow13,OpenFlow14";

    public HostSpec {
        if (!name.matches("[a-z][a-z0-9]{0,9}")) {
            throw new IllegalArgumentException("host name must be 1-10 lowercase letters/digits: " + name);
        }
    }

    public static HostSpec named(String name) {
        return new HostSpec(name, OPENFLOW13, null, null, false);
    }

    public HostSpec withProtocols(String value) {
        return new HostSpec(name, value, controller, datapathId, bare);
    }

    public HostSpec withController(String target) {
        return new HostSpec(name, protocols, target, datapathId, bare);
    }

    public HostSpec withoutController() {
        return withController("");
    }

    public HostSpec withDatapathId(long value) {
        return new HostSpec(name, protocols, controller, value, bare);
    }

    /** OVS running with br-phy and the underlay, but nothing of br-int: as a fresh machine before host-setup. */
    public HostSpec bareOvs() {
        return new HostSpec(name, protocols, controller, datapathId, true);
    }
}
