package dev.ferry.apps.model;

/** A tenant: the unit of isolation. Nothing of one tenant ever reaches another's. */
public record Tenant(String id, String name, long revision) {}
