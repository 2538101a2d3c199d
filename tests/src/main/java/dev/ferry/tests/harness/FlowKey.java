package dev.ferry.tests.harness;

import org.projectfloodlight.openflow.protocol.match.Match;

/** What makes two flows the same flow on a switch: table, priority and exact match. */
public record FlowKey(int tableId, int priority, Match match) {}
