package io.podpath.agent.server;

import io.podpath.agent.cni.Cni;
import io.podpath.agent.ip.IpPrefix;
import io.podpath.proto.grpc.HostPort;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How to run one agent: what {@code Main}'s flags say, or what a test sets ({@link #loopback} and
 * the {@code with…} copies).
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

  /** Detects the CNI from the node (--cni auto), no own check schedule, probes inside only. */
  public AgentOptions(
      String nodeName,
      Path ovsRundir,
      Optional<String> ovnSb,
      Optional<String> ovnNb,
      HostPort listen,
      HostPort metricsListen,
      Optional<TlsFiles> tls,
      Optional<Path> hostNetns,
      int maxConcurrentCalls) {
    this(
        nodeName,
        ovsRundir,
        ovnSb,
        ovnNb,
        listen,
        metricsListen,
        tls,
        hostNetns,
        maxConcurrentCalls,
        Optional.empty(),
        Duration.ZERO,
        List.of());
  }

  /** The same options with --cni set. */
  public AgentOptions withCni(Optional<Cni> chosen) {
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
        chosen,
        checkInterval,
        probeAllow);
  }

  /** The same options with --check-interval set (zero = off). */
  public AgentOptions withCheckInterval(Duration every) {
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
        every,
        probeAllow);
  }

  /** The same options with --probe-allow set. */
  public AgentOptions withProbeAllow(List<IpPrefix> prefixes) {
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
        prefixes);
  }

  /**
   * An agent embedded in a test or a tool: plaintext gRPC and HTTP on loopback with ephemeral
   * ports, the OVN databases found from the node itself.
   */
  public static AgentOptions loopback(
      String nodeName, Path ovsRundir, Optional<Path> hostNetns, int maxConcurrentCalls) {
    HostPort any = new HostPort("127.0.0.1", 0);
    return new AgentOptions(
        nodeName,
        ovsRundir,
        Optional.empty(),
        Optional.empty(),
        any,
        any,
        Optional.empty(),
        hostNetns,
        maxConcurrentCalls);
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
