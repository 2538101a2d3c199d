package dev.ferry.southbound.flow;

/** One desired meter: a drop band at rateKbpsOrPps (packets per second when pps is set). */
public record MeterEntry(long meterId, boolean pps, long rate, long burst) {}
