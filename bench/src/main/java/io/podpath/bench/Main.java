package io.podpath.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the benchmark tools that hack/bench runs; each subcommand is one tool. */
@Command(
    name = "podpath-bench",
    mixinStandardHelpOptions = true,
    description = "Benchmark tools for hack/bench (see docs/benchmarks.md).",
    subcommands = {
      FleetCommand.class,
      MetricsFleetCommand.class,
      ExpositionCommand.class,
      RecordCommand.class,
      TraceLoopCommand.class,
      NodeTracesCommand.class,
      SweepDriverCommand.class,
      PageCommand.class
    })
public final class Main implements Runnable {
  @Override
  public void run() {
    CommandLine.usage(this, System.out);
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new Main()).execute(args));
  }
}
