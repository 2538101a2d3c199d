package dev.ferry.controller.trace;

/**
 * POST /v1/trace's body: a packet in model terms. Ports are named by id or by name (a name
 * must be unique among the ports the caller sees, else use the id).
 */
public record TraceRequest(String fromPort, String fromAddress, String toIp, String toPort,
    String protocol, Integer srcPort, Integer dstPort, Integer icmpType, Integer icmpCode,
    String srcIp, String srcMac) {}
