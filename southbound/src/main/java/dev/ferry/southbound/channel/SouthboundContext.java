package dev.ferry.southbound.channel;

import dev.ferry.southbound.SouthboundConfig;
import dev.ferry.southbound.SouthboundCounters;
import dev.ferry.southbound.SwitchIdentityCheck;
import dev.ferry.southbound.SwitchListeners;
import dev.ferry.southbound.SwitchRegistry;

/** What every switch channel shares with the server. */
public record SouthboundContext(
    SouthboundConfig config,
    SwitchRegistry registry,
    SwitchListeners listeners,
    SouthboundCounters counters,
    SwitchIdentityCheck identity,
    LoopClocks clocks) {

  public static SouthboundContext of(SouthboundConfig config) {
    return of(config, SwitchIdentityCheck.ANYONE);
  }

  public static SouthboundContext of(SouthboundConfig config, SwitchIdentityCheck identity) {
    return new SouthboundContext(config, new SwitchRegistry(), new SwitchListeners(),
        new SouthboundCounters(), identity, new LoopClocks());
  }
}
