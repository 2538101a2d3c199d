package dev.ferry.apps.compile;

import dev.ferry.apps.model.Network;
import dev.ferry.apps.model.Port;

/** A port of this host that the switch has reported: it has an OpenFlow port number. */
public record LocalPort(Port port, Network network, int ofPort) {}
