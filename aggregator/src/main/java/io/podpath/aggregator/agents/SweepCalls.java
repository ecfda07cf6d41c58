package io.podpath.aggregator.agents;

import io.podpath.aggregator.model.Check;
import io.podpath.aggregator.model.CheckStatus;
import io.podpath.aggregator.model.ChecksRequest;
import io.podpath.aggregator.model.ClusterContext;
import io.podpath.aggregator.model.NodeChecks;
import io.podpath.aggregator.model.NodeReading;
import io.podpath.aggregator.model.NodeSummary;
import io.podpath.aggregator.model.PodPing;
import io.podpath.proto.v1.CheckReport;
import io.podpath.proto.v1.CheckResult;
import io.podpath.proto.v1.Evidence;
import io.podpath.proto.v1.LocalPod;
import io.podpath.proto.v1.NodeInfo;
import io.podpath.proto.v1.PeerSet;
import io.podpath.proto.v1.PodRef;
import io.podpath.proto.v1.ProbeRequest;
import io.podpath.proto.v1.ProbeResult;
import io.podpath.proto.v1.Protocol;
import io.podpath.proto.v1.RunChecksRequest;
import io.podpath.proto.v1.ServiceBackend;
import io.podpath.proto.v1.ServiceInfo;
import io.podpath.proto.v1.ServicePort;
import io.podpath.proto.v1.ServiceRef;
import io.podpath.proto.v1.TunnelPort;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The agent edge's mapping of the sweep's calls (RunChecks, GetNode, Probe) to and from the wire.
 */
public final class SweepCalls {
  /**
   * The last shared context and its message: every node of a sweep gets the same {@link
   * ClusterContext.Shared} (the same instance), so its Services are mapped once per sweep, not once
   * per node.
   */
  private static final AtomicReference<Mapped> LAST = new AtomicReference<>();

  private record Mapped(ClusterContext.Shared shared, io.podpath.proto.v1.ClusterContext message) {}

  private SweepCalls() {}

  public static RunChecksRequest request(ChecksRequest r) {
    ClusterContext c = r.context();
    io.podpath.proto.v1.ClusterContext.Builder b = shared(c.shared()).toBuilder();
    for (ClusterContext.LocalPod p : c.localPods()) {
      b.addLocalPods(
          LocalPod.newBuilder()
              .setPod(PodRef.newBuilder().setNamespace(p.namespace()).setName(p.name()))
              .addAllIps(p.ips()));
    }
    b.setPeerSet(peerSet(c.peerSet()));
    return RunChecksRequest.newBuilder()
        .addAllCheckIds(r.checkIds())
        .setContext(b)
        .setIncludeSummary(r.includeSummary())
        .build();
  }

  private static PeerSet peerSet(ClusterContext.PeerSet p) {
    PeerSet.Builder b =
        PeerSet.newBuilder()
            .setCount(p.count())
            .setSha256(p.sha256())
            .setSelfEncapIp(p.selfEncapIp());
    p.otherFamily().ifPresent(o -> b.setOtherFamily(peerSet(o)));
    return b.build();
  }

  private static io.podpath.proto.v1.ClusterContext shared(ClusterContext.Shared s) {
    Mapped last = LAST.get();
    if (last != null && last.shared() == s) {
      return last.message();
    }
    io.podpath.proto.v1.ClusterContext.Builder b = io.podpath.proto.v1.ClusterContext.newBuilder();
    for (ClusterContext.Service svc : s.services()) {
      ServiceInfo.Builder sb =
          ServiceInfo.newBuilder()
              .setService(ServiceRef.newBuilder().setNamespace(svc.namespace()).setName(svc.name()))
              .addAllClusterIps(svc.clusterIps());
      for (ClusterContext.Port p : svc.ports()) {
        sb.addPorts(
            ServicePort.newBuilder()
                .setProtocol(AgentProtos.protocol(p.protocol()))
                .setPort(p.port())
                .setNodePort(p.nodePort()));
      }
      for (ClusterContext.Backend e : svc.readyBackends()) {
        sb.addReadyBackends(
            ServiceBackend.newBuilder()
                .setProtocol(AgentProtos.protocol(e.protocol()))
                .setServicePort(e.servicePort())
                .setIp(e.ip())
                .setPort(e.port()));
      }
      b.addServices(sb.setReadyBackendsKnown(true));
    }
    s.dnsServiceIp().ifPresent(b::setDnsServiceIp);
    io.podpath.proto.v1.ClusterContext message = b.build();
    LAST.set(new Mapped(s, message));
    return message;
  }

  public static NodeChecks checks(CheckReport r) {
    return new NodeChecks(
        r.getResultsList().stream().map(SweepCalls::check).toList(),
        r.hasSummary() ? Optional.of(summary(r.getSummary())) : Optional.empty());
  }

  static Check check(CheckResult c) {
    return new Check(
        c.getId(),
        status(c.getStatus()),
        c.getSummary(),
        c.getRemediation(),
        c.getDurationMicros(),
        c.getEvidenceList().stream()
            .map(e -> new Check.Evidence(e.getSource(), e.getValue()))
            .toList());
  }

  /** The wire's form of a result; the aggregator's API sends the same. */
  public static CheckResult check(Check c) {
    CheckResult.Builder b =
        CheckResult.newBuilder()
            .setId(c.id())
            .setStatus(status(c.status()))
            .setSummary(c.summary())
            .setRemediation(c.remediation())
            .setDurationMicros(c.durationMicros());
    for (Check.Evidence e : c.evidence()) {
      b.addEvidence(Evidence.newBuilder().setSource(e.source()).setValue(e.value()));
    }
    return b.build();
  }

  /** An agent that sets no status (or one this aggregator does not know) said nothing: UNKNOWN. */
  static CheckStatus status(io.podpath.proto.v1.CheckStatus s) {
    return switch (s) {
      case CHECK_STATUS_OK -> CheckStatus.OK;
      case CHECK_STATUS_WARN -> CheckStatus.WARN;
      case CHECK_STATUS_FAIL -> CheckStatus.FAIL;
      case CHECK_STATUS_NOT_APPLICABLE -> CheckStatus.NOT_APPLICABLE;
      case CHECK_STATUS_UNREACHABLE -> CheckStatus.UNREACHABLE;
      default -> CheckStatus.UNKNOWN;
    };
  }

  static io.podpath.proto.v1.CheckStatus status(CheckStatus s) {
    return switch (s) {
      case OK -> io.podpath.proto.v1.CheckStatus.CHECK_STATUS_OK;
      case WARN -> io.podpath.proto.v1.CheckStatus.CHECK_STATUS_WARN;
      case FAIL -> io.podpath.proto.v1.CheckStatus.CHECK_STATUS_FAIL;
      case UNKNOWN -> io.podpath.proto.v1.CheckStatus.CHECK_STATUS_UNKNOWN;
      case NOT_APPLICABLE -> io.podpath.proto.v1.CheckStatus.CHECK_STATUS_NOT_APPLICABLE;
      case UNREACHABLE -> io.podpath.proto.v1.CheckStatus.CHECK_STATUS_UNREACHABLE;
    };
  }

  static NodeSummary summary(io.podpath.proto.v1.NodeSummary s) {
    Optional<NodeSummary.SmallPod> small =
        s.hasSmallMtuPod() && s.getSmallPodMtu() > 0
            ? Optional.of(
                new NodeSummary.SmallPod(
                    s.getSmallMtuPod().getNamespace() + "/" + s.getSmallMtuPod().getName(),
                    s.getSmallPodMtu()))
            : Optional.empty();
    return new NodeSummary(
        s.getUnderlayMtu(),
        s.getPodMtu(),
        s.getWorkingTunnels(),
        s.getBrokenTunnels(),
        s.getTunnelsMatchPeerSet(),
        s.getTunnelRemoteIpsList(),
        s.getError(),
        s.getTunnelPodMtu(),
        small);
  }

  /** GetNode's answer as the sweep reads it: only working tunnels (no error, an ofport) count. */
  public static NodeReading reading(NodeInfo info) {
    return new NodeReading(
        info.getPodMtu(),
        info.getUnderlayMtu(),
        info.getTunnelsList().stream()
            .filter(t -> t.getError().isEmpty() && t.getOfport() > 0)
            .map(TunnelPort::getRemoteIp)
            .toList());
  }

  public static ProbeRequest probe(PodPing p) {
    return ProbeRequest.newBuilder()
        .setSource(PodRef.newBuilder().setNamespace(p.namespace()).setName(p.name()))
        .setDestinationIp(p.destinationIp())
        .setProtocol(Protocol.PROTOCOL_ICMP)
        .setSize(p.size())
        .setDontFragment(p.dontFragment())
        .setTimeoutMillis(p.timeoutMillis())
        .build();
  }

  public static PodPing.Result result(ProbeResult r) {
    return new PodPing.Result(r.getDelivered(), r.getDetail());
  }
}
