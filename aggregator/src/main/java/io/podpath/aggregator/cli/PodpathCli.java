package io.podpath.aggregator.cli;

/** The {@code podpath} (and {@code kubectl-podpath}) entry point: wiring only. */
public final class PodpathCli {
  private PodpathCli() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** One run of the CLI, as {@code main} does it, without exiting the JVM. */
  static int run(String[] args) {
    return Commands.forArgs(args).execute(args);
  }
}
