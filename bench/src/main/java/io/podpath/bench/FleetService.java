package io.podpath.bench;

import io.grpc.stub.StreamObserver;
import io.podpath.proto.mesh.PeerSets;
import io.podpath.proto.v1.AgentServiceGrpc;
import io.podpath.proto.v1.CheckReport;
import io.podpath.proto.v1.GetNodeRequest;
import io.podpath.proto.v1.NodeInfo;
import io.podpath.proto.v1.NodeSummary;
import io.podpath.proto.v1.PeerSet;
import io.podpath.proto.v1.ProbeRequest;
import io.podpath.proto.v1.ProbeResult;
import io.podpath.proto.v1.RunChecksRequest;
import io.podpath.proto.v1.TunnelPort;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * AgentService for every simulated node: the replies recorded on a sandbox node, renamed for the
 * node the call reached, sent after the delay measured on the sandbox (without holding a thread).
 */
final class FleetService extends AgentServiceGrpc.AgentServiceImplBase {
  /** How simulated nodes report their Geneve tunnels. */
  enum Tunnels {
    /** One tunnel to every other simulated node, as OVN builds a full mesh. */
    MESH,
    /** The recorded node's tunnels as they are (a 3-node sandbox has 2). */
    RECORDED
  }

  record Delays(Duration runChecks, Duration getNode, Duration probe) {}

  private final CheckReport report;
  private final NodeInfo info;
  private final ProbeResult probe;
  private final Delays delays;
  private final Tunnels tunnels;
  private final int nodes;
  private final ScheduledExecutorService timer;
  private PeerSets.Expected meshDigest;
  final AtomicLong runChecksCalls = new AtomicLong();
  final AtomicLong getNodeCalls = new AtomicLong();
  final AtomicLong probeCalls = new AtomicLong();

  FleetService(
      CheckReport report,
      NodeInfo info,
      ProbeResult probe,
      Delays delays,
      Tunnels tunnels,
      int nodes,
      ScheduledExecutorService timer) {
    this.report = report;
    this.info = info;
    this.probe = probe;
    this.delays = delays;
    this.tunnels = tunnels;
    this.nodes = nodes;
    this.timer = timer;
  }

  private static int node() {
    Integer n = NodeByPort.NODE.get();
    return n == null ? 1 : n;
  }

  @Override
  public void runChecks(RunChecksRequest request, StreamObserver<CheckReport> out) {
    runChecksCalls.incrementAndGet();
    int i = node();
    CheckReport.Builder r = report.toBuilder().setNode(Fleet.nodeName(i));
    if (request.getIncludeSummary()) {
      r.setSummary(
          summary(i, request.getContext().hasPeerSet() ? request.getContext().getPeerSet() : null));
    }
    later(delays.runChecks(), out, r.build());
  }

  /**
   * What an agent with the simulated node's tunnels reports. In a full mesh node i's working
   * remotes plus its own IP are exactly the fleet's encap IPs, so the digest of that set is
   * computed once, not once per call (the real agents each hash their own N remotes).
   */
  NodeSummary summary(int i, PeerSet expected) {
    NodeSummary.Builder b =
        NodeSummary.newBuilder()
            .setEncapIp(Fleet.encapIp(i))
            .setPodMtu(info.getPodMtu())
            .setUnderlayMtu(info.getUnderlayMtu());
    boolean match;
    if (tunnels == Tunnels.MESH) {
      b.setWorkingTunnels(nodes - 1);
      match =
          expected != null
              && expected.getSelfEncapIp().equals(Fleet.encapIp(i))
              && expected.getCount() == meshDigest().count()
              && expected.getSha256().equals(meshDigest().sha256());
      if (!match) {
        for (int j = 1; j <= nodes; j++) {
          if (j != i) {
            b.addTunnelRemoteIps(Fleet.encapIp(j));
          }
        }
      }
    } else {
      List<String> remotes =
          nodeInfo(i).getTunnelsList().stream().map(TunnelPort::getRemoteIp).sorted().toList();
      b.setWorkingTunnels(remotes.size());
      match = expected != null && PeerSets.matches(expected, remotes);
      if (!match) {
        b.addAllTunnelRemoteIps(remotes);
      }
    }
    return b.setTunnelsMatchPeerSet(match).build();
  }

  private synchronized PeerSets.Expected meshDigest() {
    if (meshDigest == null) {
      List<String> all = new ArrayList<>();
      for (int j = 1; j <= nodes; j++) {
        all.add(Fleet.encapIp(j));
      }
      meshDigest = PeerSets.expected(all);
    }
    return meshDigest;
  }

  @Override
  public void getNode(GetNodeRequest request, StreamObserver<NodeInfo> out) {
    getNodeCalls.incrementAndGet();
    later(delays.getNode(), out, nodeInfo(node()));
  }

  @Override
  public void probe(ProbeRequest request, StreamObserver<ProbeResult> out) {
    probeCalls.incrementAndGet();
    later(delays.probe(), out, probe);
  }

  NodeInfo nodeInfo(int i) {
    NodeInfo.Builder b =
        info.toBuilder()
            .setNodeName(Fleet.nodeName(i))
            .setSystemId(Fleet.nodeName(i))
            .setEncapIp(Fleet.encapIp(i));
    if (tunnels == Tunnels.MESH && info.getTunnelsCount() > 0) {
      TunnelPort template = info.getTunnels(0);
      b.clearTunnels();
      for (int j = 1; j <= nodes; j++) {
        if (j != i) {
          b.addTunnels(
              template.toBuilder()
                  .setName("ovn-" + Fleet.nodeName(j) + "-0")
                  .setRemoteIp(Fleet.encapIp(j))
                  .setOfport(j + 1));
        }
      }
    }
    return b.build();
  }

  private <T> void later(Duration delay, StreamObserver<T> out, T reply) {
    var unused =
        timer.schedule(
            () -> {
              try {
                out.onNext(reply);
                out.onCompleted();
              } catch (RuntimeException e) {
                // The caller gave up (deadline or cancel) while we waited: nothing to answer.
              }
            },
            delay.toNanos(),
            TimeUnit.NANOSECONDS);
  }
}
