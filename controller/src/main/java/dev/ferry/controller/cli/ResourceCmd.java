package dev.ferry.controller.cli;

import picocli.CommandLine;

/**
 * What every ferryctl resource command holds: the root command (connection, output, wait
 * options) and its own spec, to hand a verb's CommandLine to {@link FerryCtl#call}.
 */
abstract class ResourceCmd {

  @CommandLine.ParentCommand
  FerryCtl root;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  /** The verb's own CommandLine (where its output and usage errors go). */
  CommandLine sub(String name) {
    return spec.commandLine().getSubcommands().get(name);
  }
}
