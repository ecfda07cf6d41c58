package io.podpath.aggregator.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code podpath}: the top command; its subcommands are registered in {@link Commands}. */
@Command(
    name = "podpath",
    mixinStandardHelpOptions = true,
    versionProvider = Commands.Version.class,
    description = {
      "Where does my packet go, where does it die, and which node is sick.",
      "Also runs as a kubectl plugin when installed on PATH as kubectl-podpath."
    })
public final class TopCommand implements Runnable {
  @Mixin GlobalOptions global;

  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "a subcommand is required");
  }
}
