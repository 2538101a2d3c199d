package dev.ferry.controller.ops;

import picocli.CommandLine.Option;

/** --netns NAME or --docker CONTAINER (exactly one). */
public final class NetnsOptions {
  @Option(names = "--netns", required = true, description = "a named network namespace (ip netns)")
  String netns;

  @Option(names = "--docker", required = true, description = "a running Docker container (name or id)")
  String docker;

  /** The port's default name: the namespace's or the container's. */
  String name() {
    return netns != null ? netns : docker;
  }
}
