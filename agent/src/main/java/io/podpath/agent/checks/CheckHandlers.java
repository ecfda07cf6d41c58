package io.podpath.agent.checks;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.podpath.agent.AgentContext;
import io.podpath.agent.errors.InvalidArgumentException;
import io.podpath.agent.errors.NotFoundException;
import io.podpath.agent.errors.UnavailableException;
import io.podpath.agent.grpc.Handlers;
import io.podpath.agent.grpc.RequestValidator;
import io.podpath.agent.pod.PodKey;
import io.podpath.agent.pod.PodLocator;
import io.podpath.proto.mesh.PeerSets;
import io.podpath.proto.v1.CheckReport;
import io.podpath.proto.v1.ClusterContext;
import io.podpath.proto.v1.NodeSummary;
import io.podpath.proto.v1.ProbeRequest;
import io.podpath.proto.v1.ProbeResult;
import io.podpath.proto.v1.Protocol;
import io.podpath.proto.v1.RunChecksRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** RunChecks and Probe for the agent's gRPC service: validation and proto ↔ records. */
public final class CheckHandlers implements Handlers.Checks, Handlers.Probe {
  private final String nodeName;
  private final Checks checks;
  private final AgentCheckPorts ports;
  private final ProbeRunner probes;
  private final CounterMemory memory = new CounterMemory();

  public CheckHandlers(String nodeName, Checks checks, AgentCheckPorts ports) {
    this.nodeName = nodeName;
    this.checks = checks;
    this.ports = ports;
    this.probes = new ProbeRunner(ports);
  }

  /**
   * The standard checks over the agent's context; pods' namespaces come from the pod locator.
   * Metrics go to Micrometer's global registry (the agent adds its Prometheus registry to it).
   */
  public static CheckHandlers forAgent(AgentContext ctx) {
    return forAgent(ctx, Metrics.globalRegistry);
  }

  public static CheckHandlers forAgent(AgentContext ctx, MeterRegistry registry) {
    PodLocator locator = new PodLocator(ctx);
    AgentCheckPorts ports = new AgentCheckPorts(ctx, pod -> netns(locator, pod));
    return new CheckHandlers(ctx.nodeName(), new Checks(Checks.standard(), registry), ports);
  }

  /**
   * Only a namespace proven to be the pod's; the locator's own errors (pod not here: NOT_FOUND;
   * OVSDB unreachable: UNAVAILABLE; namespace unproven: FAILED_PRECONDITION) reach the caller as
   * they are, never as "no network namespace".
   */
  private static Optional<Path> netns(PodLocator locator, PodKey pod) {
    return Optional.of(locator.provenNetns(pod, AgentCheckPorts.TIMEOUT));
  }

  @Override
  public CheckReport run(RunChecksRequest request, Duration budget) {
    ClusterFacts facts = facts(request.getContext());
    CheckContext ctx = new CheckContext(nodeName, facts, ports, ports, ports, memory);
    List<CheckResult> results;
    try {
      results = checks.run(request.getCheckIdsList(), ctx);
    } catch (UnknownCheckException e) {
      throw new InvalidArgumentException("check_ids", e.getMessage());
    }
    CheckReport.Builder b = CheckReport.newBuilder().setNode(nodeName);
    for (CheckResult r : results) {
      io.podpath.proto.v1.CheckResult.Builder p =
          io.podpath.proto.v1.CheckResult.newBuilder()
              .setId(r.id())
              .setStatus(status(r.status()))
              .setSummary(r.summary())
              .setRemediation(r.remediation())
              .setDurationMicros(r.duration().toNanos() / 1000);
      r.evidence()
          .forEach(
              e ->
                  p.addEvidence(
                      io.podpath.proto.v1.Evidence.newBuilder()
                          .setSource(e.source())
                          .setValue(e.value())));
      b.addResults(p);
    }
    if (request.getIncludeSummary()) {
      b.setSummary(summary(NodeSummaryReader.read(ctx), facts.peerSet()));
    }
    return b.build();
  }

  /** The working remotes travel only when they differ from the cluster's set (or none was sent). */
  static NodeSummary summary(NodeSummaryReader.Summary s, Optional<ClusterFacts.PeerSet> expected) {
    boolean match =
        expected
            .map(
                e ->
                    PeerSets.matches(
                        e.count(), e.sha256(), e.selfEncapIp(), s.tunnels().workingRemotes()))
            .orElse(false);
    NodeSummary.Builder b =
        NodeSummary.newBuilder()
            .setEncapIp(s.encapIp())
            .setUnderlayMtu(s.underlayMtu())
            .setPodMtu(s.podMtu())
            .setWorkingTunnels(s.tunnels().workingRemotes().size())
            .setBrokenTunnels(s.tunnels().broken().size())
            .setTunnelsMatchPeerSet(match)
            .setError(s.error());
    if (!match) {
      b.addAllTunnelRemoteIps(s.tunnels().workingRemotes());
    }
    return b.build();
  }

  @Override
  public ProbeResult probe(ProbeRequest request, Duration budget) {
    PodKey src = RequestValidator.pod(request.getSource(), "source");
    String protocol =
        switch (request.getProtocol()) {
          case PROTOCOL_ICMP -> "icmp";
          case PROTOCOL_TCP -> "tcp";
          case PROTOCOL_UDP -> "udp";
          default -> throw new InvalidArgumentException("protocol", "ICMP, TCP or UDP");
        };
    int port =
        request.getProtocol() == Protocol.PROTOCOL_ICMP
            ? 0
            : RequestValidator.port(request.getDstPort(), "dst_port", false);
    int size = (int) RequestValidator.range(request.getSize(), 0, 65507, "size");
    int timeout =
        request.getTimeoutMillis() == 0
            ? 1000
            : (int) RequestValidator.range(request.getTimeoutMillis(), 1, 10_000, "timeout_millis");
    ProbeRunner.Probe p =
        new ProbeRunner.Probe(
            src,
            RequestValidator.ip(request.getDestinationIp(), "destination_ip"),
            protocol,
            port,
            size,
            request.getDontFragment(),
            timeout);
    try {
      ProbeRunner.Result r = probes.probe(p);
      return ProbeResult.newBuilder()
          .setDelivered(r.delivered())
          .setDetail(r.detail())
          .setRttMicros(r.rttMicros())
          .build();
    } catch (AccessException e) {
      if (e.kind() == AccessException.Kind.NOT_FOUND) {
        throw new NotFoundException("pod " + src + ": " + e.getMessage());
      }
      throw new UnavailableException("pod " + src, e.getMessage(), e);
    }
  }

  static ClusterFacts facts(ClusterContext c) {
    return new ClusterFacts(
        c.getPeersList().stream()
            .map(p -> new ClusterFacts.Peer(p.getName(), p.getEncapIp()))
            .toList(),
        c.getServicesList().stream()
            .map(
                s ->
                    new ClusterFacts.Service(
                        s.getService().getNamespace(),
                        s.getService().getName(),
                        s.getClusterIpsList(),
                        s.getPortsList().stream()
                            .map(
                                p ->
                                    new ClusterFacts.Port(
                                        p.getProtocol()
                                            .name()
                                            .replace("PROTOCOL_", "")
                                            .toLowerCase(Locale.ROOT),
                                        p.getPort()))
                            .toList()))
            .toList(),
        c.getLocalPodsList().stream()
            .map(
                p ->
                    new ClusterFacts.LocalPod(
                        new PodKey(p.getPod().getNamespace(), p.getPod().getName()),
                        p.getIpsList()))
            .toList(),
        c.getDnsServiceIp(),
        c.hasPeerSet()
            ? Optional.of(
                new ClusterFacts.PeerSet(
                    c.getPeerSet().getCount(),
                    c.getPeerSet().getSha256(),
                    c.getPeerSet().getSelfEncapIp()))
            : Optional.empty());
  }

  static io.podpath.proto.v1.CheckStatus status(CheckStatus s) {
    return switch (s) {
      case OK -> io.podpath.proto.v1.CheckStatus.CHECK_STATUS_OK;
      case WARN -> io.podpath.proto.v1.CheckStatus.CHECK_STATUS_WARN;
      case FAIL -> io.podpath.proto.v1.CheckStatus.CHECK_STATUS_FAIL;
      case UNKNOWN -> io.podpath.proto.v1.CheckStatus.CHECK_STATUS_UNKNOWN;
      case NOT_APPLICABLE -> io.podpath.proto.v1.CheckStatus.CHECK_STATUS_NOT_APPLICABLE;
    };
  }
}
