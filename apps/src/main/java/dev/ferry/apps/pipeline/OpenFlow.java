package dev.ferry.apps.pipeline;

import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFVersion;

/** The one OpenFlow 1.3 factory the apps build messages with. */
public final class OpenFlow {
  public static final OFFactory OF13 = OFFactories.getFactory(OFVersion.OF_13);

  private OpenFlow() {}
}
