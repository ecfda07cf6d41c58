package io.podpath.aggregator.cli;

import io.podpath.aggregator.inventory.ManifestException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code podpath serve}: runs the aggregator. Flags only; {@link ServeWiring} builds it. */
@Command(
    name = "serve",
    description = "Runs the aggregator (gRPC for the CLI, HTTP /healthz /readyz /metrics).",
    mixinStandardHelpOptions = true)
public final class ServeCommand implements Callable<Integer> {
  @Option(
      names = "--snapshot",
      paramLabel = "FILE",
      description =
          "Read the cluster from a Kubernetes List manifest instead of the API server;"
              + " re-read when the file changes")
  @Nullable Path snapshot;

  @Option(
      names = "--agent",
      paramLabel = "NODE=HOST:PORT",
      description = "A node's agent (repeatable); without any, agents are found from their pods")
  List<String> agents = new ArrayList<>();

  @Option(
      names = "--agent-port",
      paramLabel = "PORT",
      defaultValue = "9443",
      description = "Agent port for agents found from their pods (default ${DEFAULT-VALUE})")
  int agentPort;

  @Option(
      names = "--agent-namespace",
      paramLabel = "NS",
      defaultValue = "",
      description = "Namespace of the agent pods (default: any)")
  String agentNamespace = "";

  @Option(
      names = "--agent-selector",
      paramLabel = "K=V[,K=V]",
      defaultValue = "app.kubernetes.io/name=podpath-agent",
      description = "Labels of the agent pods (default ${DEFAULT-VALUE})")
  String agentSelector = "app.kubernetes.io/name=podpath-agent";

  @Option(
      names = "--agent-timeout",
      paramLabel = "MILLIS",
      defaultValue = "10000",
      description = "Deadline of each call to an agent (default ${DEFAULT-VALUE})")
  long agentTimeoutMillis;

  @Option(
      names = "--agent-preconnect",
      paramLabel = "N",
      defaultValue = "64",
      description =
          "Connect to the agents known at start-up in the background, at most N TLS set-ups at"
              + " a time, so the first sweep finds them connected; 0: connect on first use"
              + " (default ${DEFAULT-VALUE})")
  int agentPreconnect;

  @Option(
      names = "--listen",
      paramLabel = "HOST:PORT",
      defaultValue = "127.0.0.1:9450",
      description =
          "gRPC address for the CLI, IP:PORT (default ${DEFAULT-VALUE}). Plaintext only on"
              + " loopback; any other address needs --cli-tls-cert, --cli-tls-key and"
              + " --cli-tls-ca (mTLS)")
  String listen = "127.0.0.1:9450";

  @Option(
      names = "--http-listen",
      paramLabel = "HOST:PORT",
      defaultValue = "127.0.0.1:9451",
      description = "HTTP address for /healthz /readyz /metrics (default ${DEFAULT-VALUE})")
  String httpListen = "127.0.0.1:9451";

  @Option(
      names = "--web",
      arity = "1",
      paramLabel = "true|false",
      defaultValue = "true",
      description =
          "Serve the read-only web page (health grid, traces) on the HTTP address, to loopback"
              + " connections only, e.g. through kubectl port-forward (default ${DEFAULT-VALUE})")
  boolean web;

  @Option(
      names = "--tls-cert",
      paramLabel = "FILE",
      description = "Client certificate (PEM) towards agents")
  @Nullable Path tlsCert;

  @Option(names = "--tls-key", paramLabel = "FILE", description = "Its private key (PEM, PKCS#8)")
  @Nullable Path tlsKey;

  @Option(
      names = "--tls-ca",
      paramLabel = "FILE",
      description = "CA that signed the agents' certificates (PEM)")
  @Nullable Path tlsCa;

  @Option(
      names = "--agent-server-name",
      paramLabel = "NAME",
      description = "Name the agents' certificate must carry (default: the address dialled)")
  @Nullable String agentServerName;

  @Option(
      names = "--plaintext",
      description = "Talk to agents without TLS (local development only)")
  boolean plaintext;

  @Option(
      names = "--cli-tls-cert",
      paramLabel = "FILE",
      description = "Server certificate (PEM) of the CLI's gRPC port (--listen); turns on mTLS")
  @Nullable Path cliTlsCert;

  @Option(names = "--cli-tls-key", paramLabel = "FILE", description = "Its private key (PEM)")
  @Nullable Path cliTlsKey;

  @Option(
      names = "--cli-tls-ca",
      paramLabel = "FILE",
      description = "CA (PEM) that CLI client certificates must chain to")
  @Nullable Path cliTlsCa;

  @Option(
      names = "--cli-tls-client-name",
      paramLabel = "NAME",
      description =
          "Name (DNS SAN or CN) CLI client certificates must also carry. Default: any"
              + " certificate signed by --cli-tls-ca")
  @Nullable String cliTlsClientName;

  @Option(
      names = "--leader-elect-lease",
      paramLabel = "NAMESPACE/NAME",
      description =
          "With several replicas: only the holder of this Lease runs periodic sweeps and alerts "
              + "(every replica serves traces). Needs the Kubernetes API (not --snapshot).")
  @Nullable String leaderElectLease;

  @Option(
      names = "--leader-identity",
      paramLabel = "ID",
      description = "This replica's identity in the Lease (default: $POD_NAME, else the host name)")
  @Nullable String leaderIdentity;

  @Option(
      names = "--live-per-minute",
      paramLabel = "N",
      defaultValue = "30",
      description =
          "Live traces (trace --live: real packets) this aggregator starts a minute, in bursts of"
              + " up to 5; more are refused until the next may start. 0 turns them off"
              + " (default ${DEFAULT-VALUE})")
  int livePerMinute;

  @Mixin SweepOptions sweep;

  @Spec CommandSpec spec;

  @ParentCommand TopCommand top;

  @Override
  public Integer call() throws Exception {
    boolean anyTls = tlsCert != null || tlsKey != null || tlsCa != null;
    if (plaintext && anyTls) {
      throw new ParameterException(
          spec.commandLine(), "--plaintext excludes --tls-cert/--tls-key/--tls-ca");
    }
    if (!plaintext && (tlsCert == null || tlsKey == null || tlsCa == null)) {
      throw new ParameterException(
          spec.commandLine(),
          "give --tls-cert, --tls-key and --tls-ca (or --plaintext for local development)");
    }
    boolean anyCliTls = cliTlsCert != null || cliTlsKey != null || cliTlsCa != null;
    if (anyCliTls && (cliTlsCert == null || cliTlsKey == null || cliTlsCa == null)) {
      throw new ParameterException(
          spec.commandLine(),
          "give all of --cli-tls-cert, --cli-tls-key and --cli-tls-ca (the CLI port's mTLS)");
    }
    if (livePerMinute < 0 || livePerMinute > 6000) {
      throw new ParameterException(
          spec.commandLine(),
          "--live-per-minute " + livePerMinute + " is outside 0-6000 (0 turns live traces off)");
    }
    ServeWiring wiring;
    try {
      wiring = ServeWiring.start(this, top.global);
    } catch (IllegalArgumentException | ManifestException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    Runtime.getRuntime().addShutdownHook(new Thread(wiring::close, "podpath-shutdown"));
    wiring.awaitTermination();
    return ExitCodes.OK;
  }
}
