package io.podpath.agent.grpc;

import io.podpath.agent.checks.CheckService;
import io.podpath.agent.checks.ClusterFacts;
import io.podpath.agent.checks.ProbeRunner;
import io.podpath.agent.errors.InvalidArgumentException;
import io.podpath.agent.pod.PodKey;
import io.podpath.proto.v1.CheckReport;
import io.podpath.proto.v1.CheckResult;
import io.podpath.proto.v1.CheckStatus;
import io.podpath.proto.v1.ClusterContext;
import io.podpath.proto.v1.Evidence;
import io.podpath.proto.v1.NodeSummary;
import io.podpath.proto.v1.PeerSet;
import io.podpath.proto.v1.ProbeRequest;
import io.podpath.proto.v1.ProbeResult;
import io.podpath.proto.v1.Protocol;
import java.net.InetAddress;
import java.util.Locale;
import java.util.Optional;

/** RunChecks and Probe at the edge: request validation and proto ↔ the checks' records. */
public final class CheckMapper {
  private CheckMapper() {}

  static CheckReport report(String node, CheckService.Run run, ClusterFacts facts) {
    CheckReport.Builder b = CheckReport.newBuilder().setNode(node);
    // domain and proto share the names CheckResult/CheckStatus: only the proto ones are imported
    for (var r : run.results()) {
      CheckResult.Builder p =
          CheckResult.newBuilder()
              .setId(r.id())
              .setStatus(
                  switch (r.status()) {
                    case OK -> CheckStatus.CHECK_STATUS_OK;
                    case WARN -> CheckStatus.CHECK_STATUS_WARN;
                    case FAIL -> CheckStatus.CHECK_STATUS_FAIL;
                    case UNKNOWN -> CheckStatus.CHECK_STATUS_UNKNOWN;
                    case NOT_APPLICABLE -> CheckStatus.CHECK_STATUS_NOT_APPLICABLE;
                  })
              .setSummary(r.summary())
              .setRemediation(r.remediation())
              .setDurationMicros(r.duration().toNanos() / 1000);
      r.evidence()
          .forEach(
              e -> p.addEvidence(Evidence.newBuilder().setSource(e.source()).setValue(e.value())));
      b.addResults(p);
    }
    run.summary().ifPresent(s -> b.setSummary(summary(s, facts.peerSet())));
    return b.build();
  }

  /** The working remotes travel only when they differ from the cluster's set (or none was sent). */
  public static NodeSummary summary(
      CheckService.Summary s, Optional<ClusterFacts.PeerSet> expected) {
    boolean match = expected.map(e -> e.matchedBy(s.workingTunnelRemotes())).orElse(false);
    NodeSummary.Builder b =
        NodeSummary.newBuilder()
            .setEncapIp(s.encapIp())
            .setUnderlayMtu(s.underlayMtu())
            .setPodMtu(s.podMtu())
            .setWorkingTunnels(s.workingTunnelRemotes().size())
            .setBrokenTunnels(s.brokenTunnels())
            .setTunnelsMatchPeerSet(match)
            .setError(s.error())
            .setTunnelPodMtu(s.tunnelPodMtu());
    s.smallMtuPod()
        .ifPresent(
            p ->
                b.setSmallMtuPod(
                        io.podpath.proto.v1.PodRef.newBuilder()
                            .setNamespace(p.namespace())
                            .setName(p.name()))
                    .setSmallPodMtu(s.smallPodMtu()));
    if (!match) {
      b.addAllTunnelRemoteIps(s.workingTunnelRemotes());
    }
    return b.build();
  }

  static ProbeRunner.Probe probe(ProbeRequest request) {
    PodKey src = request.getFromNode() ? null : RequestValidator.pod(request.getSource(), "source");
    String protocol =
        switch (request.getProtocol()) {
          case PROTOCOL_ICMP -> "icmp";
          case PROTOCOL_TCP -> "tcp";
          case PROTOCOL_UDP -> "udp";
          case PROTOCOL_SCTP -> "sctp";
          default -> throw new InvalidArgumentException("protocol", "ICMP, TCP, UDP or SCTP");
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
    return new ProbeRunner.Probe(
        src,
        unicast(RequestValidator.ip(request.getDestinationIp(), "destination_ip")),
        protocol,
        port,
        size,
        request.getDontFragment(),
        timeout,
        request.getSrcPort() == 0
            ? 0
            : RequestValidator.port(request.getSrcPort(), "src_port", false),
        request.getFromNode());
  }

  /** A probe is one packet to one host: a destination no single host answers is refused. */
  static InetAddress unicast(InetAddress a) {
    String why = null;
    if (a.isAnyLocalAddress()) {
      why = "the unspecified address";
    } else if (a.isMulticastAddress()) {
      why = "a multicast address";
    } else if (a instanceof java.net.Inet4Address
        && java.util.Arrays.equals(a.getAddress(), new byte[] {-1, -1, -1, -1})) {
      why = "the limited broadcast address";
    }
    if (why != null) {
      throw new InvalidArgumentException(
          "destination_ip",
          a.getHostAddress() + " is " + why + "; a probe goes to one host's unicast address");
    }
    return a;
  }

  static ProbeResult probeResult(ProbeRunner.Result r) {
    return ProbeResult.newBuilder()
        .setDelivered(r.delivered())
        .setDetail(r.detail())
        .setRttMicros(r.rttMicros())
        .setSentAtUnixMicros(r.sentAtUnixMicros())
        .build();
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
                                        protocolName(p.getProtocol()),
                                        p.getPort(),
                                        p.getNodePort()))
                            .toList(),
                        s.getReadyBackendsKnown()
                            ? Optional.of(
                                s.getReadyBackendsList().stream()
                                    .map(
                                        e ->
                                            new ClusterFacts.Backend(
                                                protocolName(e.getProtocol()),
                                                e.getServicePort(),
                                                e.getIp(),
                                                e.getPort()))
                                    .toList())
                            : Optional.empty()))
            .toList(),
        c.getLocalPodsList().stream()
            .map(
                p ->
                    new ClusterFacts.LocalPod(
                        new PodKey(p.getPod().getNamespace(), p.getPod().getName()),
                        p.getIpsList()))
            .toList(),
        c.getDnsServiceIp(),
        c.hasPeerSet() ? Optional.of(peerSet(c.getPeerSet())) : Optional.empty());
  }

  private static String protocolName(Protocol p) {
    return p.name().replace("PROTOCOL_", "").toLowerCase(Locale.ROOT);
  }

  private static ClusterFacts.PeerSet peerSet(PeerSet p) {
    return new ClusterFacts.PeerSet(
        p.getCount(),
        p.getSha256(),
        p.getSelfEncapIp(),
        p.hasOtherFamily() ? Optional.of(peerSet(p.getOtherFamily())) : Optional.empty());
  }
}
