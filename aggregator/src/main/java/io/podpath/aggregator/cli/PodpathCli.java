package io.podpath.aggregator.cli;

/** The {@code podpath} (and {@code kubectl-podpath}) entry point: wiring only. */
public final class PodpathCli {
  private PodpathCli() {}

  public static void main(String[] args) {
    System.exit(Commands.commandLine().execute(args));
  }
}
