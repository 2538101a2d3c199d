package dev.ferry.controller.cni;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code ferry cni install}. The plugin itself ({@code ./ferry cni} with the CNI environment)
 * does not come through here: the launcher runs {@link CniMain}, which loads no picocli.
 */
@Command(name = "cni", mixinStandardHelpOptions = true, subcommands = CniInstallCmd.class,
    description = "The CNI plugin: 'ferry cni install' puts it into a CNI bin directory; "
        + "'./ferry cni' with the CNI environment and stdin is the plugin.")
public final class CniCmd implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand (try: ferry cni install --help)");
  }
}
