package io.podpath.agent.server;

import io.podpath.agent.cni.Cni;
import io.podpath.agent.ip.IpPrefix;
import io.podpath.proto.grpc.HostPort;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How to run one agent: what {@code Main}'s flags say, or what a test sets ({@link #builder},
 * {@link #loopback}, {@link #toBuilder}).
 *
 * @param tls empty = plaintext (only with --plaintext)
 * @param hostNetns the node's netns for node-level reads; empty = the agent's own
 * @param cni --cni: the CNI profile to use; empty = detect it from the node (auto)
 * @param checkInterval --check-interval: run every check this often on the agent's own schedule
 *     (CheckSchedule); zero = only when asked (RunChecks)
 * @param probeAllow --probe-allow: prefixes probes may reach besides the cluster itself
 */
public record AgentOptions(
    String nodeName,
    Path ovsRundir,
    Optional<String> ovnSb,
    Optional<String> ovnNb,
    HostPort listen,
    HostPort metricsListen,
    Optional<TlsFiles> tls,
    Optional<Path> hostNetns,
    int maxConcurrentCalls,
    Optional<Cni> cni,
    Duration checkInterval,
    List<IpPrefix> probeAllow) {

  public AgentOptions {
    probeAllow = List.copyOf(probeAllow);
  }

  /**
   * Options for {@code nodeName} with the defaults of {@code podpath-agent}'s flags: OVN databases
   * found from the node, plaintext on loopback with ephemeral ports (set TLS and addresses for
   * anything else), the agent's own netns, 16 concurrent calls, --cni auto, no own check schedule,
   * probes inside the cluster only.
   */
  public static Builder builder(String nodeName, Path ovsRundir) {
    return new Builder(nodeName, ovsRundir);
  }

  /** These options, to change some. */
  public Builder toBuilder() {
    return builder(nodeName, ovsRundir)
        .ovnSb(ovnSb)
        .ovnNb(ovnNb)
        .listen(listen)
        .metricsListen(metricsListen)
        .tls(tls)
        .hostNetns(hostNetns)
        .maxConcurrentCalls(maxConcurrentCalls)
        .cni(cni)
        .checkInterval(checkInterval)
        .probeAllow(probeAllow);
  }

  /** Named settings instead of twelve positional ones. */
  public static final class Builder {
    private static final HostPort ANY = new HostPort("127.0.0.1", 0);
    private final String nodeName;
    private final Path ovsRundir;
    private Optional<String> ovnSb = Optional.empty();
    private Optional<String> ovnNb = Optional.empty();
    private HostPort listen = ANY;
    private HostPort metricsListen = ANY;
    private Optional<TlsFiles> tls = Optional.empty();
    private Optional<Path> hostNetns = Optional.empty();
    private int maxConcurrentCalls = 16;
    private Optional<Cni> cni = Optional.empty();
    private Duration checkInterval = Duration.ZERO;
    private List<IpPrefix> probeAllow = List.of();

    private Builder(String nodeName, Path ovsRundir) {
      this.nodeName = nodeName;
      this.ovsRundir = ovsRundir;
    }

    public Builder ovnSb(Optional<String> v) {
      ovnSb = v;
      return this;
    }

    public Builder ovnNb(Optional<String> v) {
      ovnNb = v;
      return this;
    }

    public Builder listen(HostPort v) {
      listen = v;
      return this;
    }

    public Builder metricsListen(HostPort v) {
      metricsListen = v;
      return this;
    }

    public Builder tls(Optional<TlsFiles> v) {
      tls = v;
      return this;
    }

    public Builder hostNetns(Optional<Path> v) {
      hostNetns = v;
      return this;
    }

    public Builder maxConcurrentCalls(int v) {
      maxConcurrentCalls = v;
      return this;
    }

    public Builder cni(Optional<Cni> v) {
      cni = v;
      return this;
    }

    public Builder checkInterval(Duration v) {
      checkInterval = v;
      return this;
    }

    public Builder probeAllow(List<IpPrefix> v) {
      probeAllow = v;
      return this;
    }

    public AgentOptions build() {
      return new AgentOptions(
          nodeName,
          ovsRundir,
          ovnSb,
          ovnNb,
          listen,
          metricsListen,
          tls,
          hostNetns,
          maxConcurrentCalls,
          cni,
          checkInterval,
          probeAllow);
    }
  }

  /**
   * An agent embedded in a test or a tool: plaintext gRPC and HTTP on loopback with ephemeral
   * ports, the OVN databases found from the node itself.
   */
  public static AgentOptions loopback(
      String nodeName, Path ovsRundir, Optional<Path> hostNetns, int maxConcurrentCalls) {
    return builder(nodeName, ovsRundir)
        .hostNetns(hostNetns)
        .maxConcurrentCalls(maxConcurrentCalls)
        .build();
  }

  /**
   * PEM files: this agent's certificate and key, and the CA its clients' certificates chain to.
   *
   * @param clientName when present, a client certificate must also name it (SAN or CN)
   */
  public record TlsFiles(Path cert, Path key, Path ca, Optional<String> clientName) {
    public TlsFiles(Path cert, Path key, Path ca) {
      this(cert, key, ca, Optional.empty());
    }
  }
}
