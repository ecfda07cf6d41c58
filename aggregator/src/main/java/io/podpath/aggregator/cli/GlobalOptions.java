package io.podpath.aggregator.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** Options every subcommand accepts (declared once on the top command, inherited). */
public final class GlobalOptions {
  @Option(
      names = "--aggregator",
      paramLabel = "HOST:PORT",
      scope = ScopeType.INHERIT,
      defaultValue = "${env:PODPATH_AGGREGATOR}",
      description = "The aggregator's gRPC address (env PODPATH_AGGREGATOR).")
  String aggregator;

  @Option(
      names = "--kubeconfig",
      paramLabel = "FILE",
      scope = ScopeType.INHERIT,
      description = "Kubeconfig to use (default: KUBECONFIG, ~/.kube/config, in-cluster).")
  Path kubeconfig;

  @Option(
      names = "--context",
      paramLabel = "NAME",
      scope = ScopeType.INHERIT,
      description = "Kubeconfig context to use.")
  String context;

  @Option(
      names = "--timeout",
      paramLabel = "SECONDS",
      scope = ScopeType.INHERIT,
      defaultValue = "30",
      description = "Deadline of each call to the aggregator (default ${DEFAULT-VALUE}).")
  int timeoutSeconds;

  public String aggregator() {
    return aggregator == null ? "" : aggregator.trim();
  }

  public Path kubeconfig() {
    return kubeconfig;
  }

  public String context() {
    return context;
  }

  public int timeoutSeconds() {
    return timeoutSeconds;
  }
}
