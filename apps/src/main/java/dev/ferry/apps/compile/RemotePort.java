package dev.ferry.apps.compile;

import dev.ferry.apps.model.Host;
import dev.ferry.apps.model.Network;
import dev.ferry.apps.model.Port;

/** A port of a network present here that lives on another, known host. */
public record RemotePort(Port port, Network network, Host host) {}
