package dev.ferry.apps.model;

/**
 * A public address mapped 1:1 onto a port's private address.
 *
 * @param portId the port it maps to, or null when unassigned
 */
public record FloatingIp(String id, String tenantId, String ip, String portId, long revision) {}
