package io.podpath.aggregator.cli;

import io.podpath.aggregator.connect.KubeClients;
import java.nio.file.Path;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
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
  @Nullable String aggregator;

  @Option(
      names = "--kubeconfig",
      paramLabel = "FILE",
      scope = ScopeType.INHERIT,
      description = "Kubeconfig to use (default: KUBECONFIG, ~/.kube/config, in-cluster).")
  @Nullable Path kubeconfig;

  @Option(
      names = "--context",
      paramLabel = "NAME",
      scope = ScopeType.INHERIT,
      description = "Kubeconfig context to use.")
  @Nullable String context;

  @Option(
      names = {"-n", "--namespace"},
      paramLabel = "NS",
      scope = ScopeType.INHERIT,
      description =
          "Namespace of pods and Services named without one (default: the kubeconfig"
              + " context's namespace, else default), as kubectl means it.")
  @Nullable String namespace;

  @Option(
      names = "--aggregator-namespace",
      paramLabel = "NS",
      scope = ScopeType.INHERIT,
      description =
          "Namespace podpath is installed in (default: podpath, else the one whose aggregator"
              + " Service carries the chart's labels).")
  @Nullable String aggregatorNamespace;

  @Option(
      names = "--aggregator-service",
      paramLabel = "NAME",
      scope = ScopeType.INHERIT,
      description =
          "The aggregator's Service (default: podpath-aggregator, else the labelled one).")
  @Nullable String aggregatorService;

  @Option(
      names = "--timeout",
      paramLabel = "SECONDS",
      scope = ScopeType.INHERIT,
      defaultValue = "30",
      description = "Deadline of each call to the aggregator (default ${DEFAULT-VALUE}).")
  int timeoutSeconds;

  @Option(
      names = "--client-certificate",
      paramLabel = "FILE",
      scope = ScopeType.INHERIT,
      defaultValue = "${env:PODPATH_CLIENT_CERTIFICATE}",
      description =
          "Client certificate (PEM) for an aggregator that requires mTLS, i.e. one listening"
              + " beyond loopback (env PODPATH_CLIENT_CERTIFICATE).")
  @Nullable String clientCertificate;

  @Option(
      names = "--client-key",
      paramLabel = "FILE",
      scope = ScopeType.INHERIT,
      defaultValue = "${env:PODPATH_CLIENT_KEY}",
      description = "Its private key (PEM) (env PODPATH_CLIENT_KEY).")
  @Nullable String clientKey;

  @Option(
      names = "--certificate-authority",
      paramLabel = "FILE",
      scope = ScopeType.INHERIT,
      defaultValue = "${env:PODPATH_CERTIFICATE_AUTHORITY}",
      description =
          "CA (PEM) that signed the aggregator's certificate; the only one trusted"
              + " (env PODPATH_CERTIFICATE_AUTHORITY).")
  @Nullable String certificateAuthority;

  @Option(
      names = "--tls-server-name",
      paramLabel = "NAME",
      scope = ScopeType.INHERIT,
      defaultValue = "${env:PODPATH_TLS_SERVER_NAME}",
      description =
          "Name the aggregator's certificate must carry (default: the host dialled)"
              + " (env PODPATH_TLS_SERVER_NAME).")
  @Nullable String tlsServerName;

  public String clientCertificate() {
    return trimmed(clientCertificate);
  }

  public String clientKey() {
    return trimmed(clientKey);
  }

  public String certificateAuthority() {
    return trimmed(certificateAuthority);
  }

  public String tlsServerName() {
    return trimmed(tlsServerName);
  }

  private static String trimmed(@Nullable String s) {
    return s == null ? "" : s.trim();
  }

  public String aggregator() {
    return aggregator == null ? "" : aggregator.trim();
  }

  /** {@code --kubeconfig}, when given. */
  public Optional<Path> kubeconfig() {
    return Optional.ofNullable(kubeconfig);
  }

  /** {@code --context}, when given. */
  public Optional<String> context() {
    return Optional.ofNullable(context);
  }

  private @Nullable String contextNamespace;

  /**
   * The namespace of a pod or Service named without one: {@code -n}, else the kubeconfig context's
   * (read only when needed), else {@code default} — as kubectl does.
   */
  public String defaultNamespace() {
    if (!namespace().isEmpty()) {
      return namespace();
    }
    String known = contextNamespace;
    if (known == null) {
      known = KubeClients.namespace(kubeconfig(), context());
      contextNamespace = known;
    }
    return known;
  }

  /** {@code -n}, or empty when not given. */
  public String namespace() {
    return namespace == null ? "" : namespace.trim();
  }

  public String aggregatorNamespace() {
    return aggregatorNamespace == null ? "" : aggregatorNamespace.trim();
  }

  public String aggregatorService() {
    return aggregatorService == null ? "" : aggregatorService.trim();
  }

  public int timeoutSeconds() {
    return timeoutSeconds;
  }
}
