package dev.ferry.tests.harness;

/**
 * What the load side counted, per switch or summed.
 *
 * @param sent packet-ins sent (answered and silent ones)
 * @param responses packet-outs plus flow-mods received (cbench's count)
 * @param packetOuts packet-outs received
 * @param flowMods flow-mods received
 * @param matched responses matched to an outstanding packet-in (each gives a latency sample)
 * @param timeouts packet-ins given up on after the response timeout
 * @param wrongAnswers responses to packet-ins that must stay unanswered (unknown ARP targets)
 */
public record LoadCounters(long sent, long responses, long packetOuts, long flowMods,
    long matched, long timeouts, long wrongAnswers) {

  public static final LoadCounters ZERO = new LoadCounters(0, 0, 0, 0, 0, 0, 0);

  public LoadCounters plus(LoadCounters o) {
    return new LoadCounters(sent + o.sent, responses + o.responses, packetOuts + o.packetOuts,
        flowMods + o.flowMods, matched + o.matched, timeouts + o.timeouts,
        wrongAnswers + o.wrongAnswers);
  }

  public LoadCounters minus(LoadCounters o) {
    return new LoadCounters(sent - o.sent, responses - o.responses, packetOuts - o.packetOuts,
        flowMods - o.flowMods, matched - o.matched, timeouts - o.timeouts,
        wrongAnswers - o.wrongAnswers);
  }
}
