package dev.ferry.tests.harness;

import java.util.List;
import java.util.TreeMap;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFMeterConfig;
import org.projectfloodlight.openflow.protocol.OFMeterMod;

/** Meters one emulated OF1.3 switch holds, as meter-mods leave them. */
public final class MeterTable {
  /** OFPM_ALL: a delete of this id removes every meter. */
  static final long ALL_METERS = 0xffffffffL;
  private final TreeMap<Long, OFMeterConfig> meters = new TreeMap<>();

  public int size() { return meters.size(); }

  public List<OFMeterConfig> meters() { return List.copyOf(meters.values()); }

  public void apply(OFMeterMod mod) {
    long id = mod.getMeterId();
    switch (mod.getCommand()) {
      case ADD, MODIFY -> meters.put(id, describe(mod));
      case DELETE -> {
        if (id == ALL_METERS) {
          meters.clear();
        } else {
          meters.remove(id);
        }
      }
      default -> throw new IllegalArgumentException("unsupported meter-mod " + mod.getCommand());
    }
  }

  private static OFMeterConfig describe(OFMeterMod mod) {
    return OFFactories.getFactory(mod.getVersion()).buildMeterConfig()
        .setMeterId(mod.getMeterId())
        .setFlags(mod.getFlags())
        .setEntries(mod.getMeters())
        .build();
  }
}
