package io.podpath.aggregator.sweep;

import io.podpath.aggregator.inventory.ClusterIndex;
import io.podpath.aggregator.inventory.NodeInfo;
import io.podpath.aggregator.model.ClusterContext.PeerSet;
import io.podpath.aggregator.model.NodeReading;
import io.podpath.aggregator.model.NodeSummary;
import io.podpath.common.PeerDigest;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The cluster's encap IPs for one sweep, computed once: the {@link PeerSet} digest each node gets
 * (instead of the list of its peers) and the comparison of a node's working tunnel remotes with the
 * set, naming the missing peers.
 *
 * <p>Where a node's encap IP is one of its InternalIPs (no CNI annotation named another, or it
 * named that one) and the node has an InternalIP of the other family too, the tunnels may run over
 * that family's underlay instead (plain OVS over IPv6 on dual-stack nodes): a tunnel to either
 * address reaches the node, and the agents also get the digest of the other family's addresses.
 */
final class MeshExpectation {
  private final PeerDigest.Digest expected;
  private final Optional<PeerDigest.Digest> other;
  private final Map<String, String> encapByNode = new HashMap<>();
  private final Map<String, String> otherByNode = new HashMap<>();
  private final Map<String, String> nodeByEncap = new HashMap<>();
  private final Map<String, String> nodeByOther = new HashMap<>();

  MeshExpectation(ClusterIndex index) {
    List<String> ips = new ArrayList<>();
    List<String> others = new ArrayList<>();
    for (NodeInfo n : index.nodes()) {
      encapByNode.put(n.name(), n.encapIp());
      if (!n.encapIp().isEmpty()) {
        ips.add(n.encapIp());
        nodeByEncap.putIfAbsent(n.encapIp(), n.name());
        otherFamily(n)
            .ifPresent(
                o -> {
                  others.add(o);
                  otherByNode.put(n.name(), o);
                  nodeByOther.putIfAbsent(o, n.name());
                });
      }
    }
    this.expected = PeerDigest.of(ips);
    this.other = others.isEmpty() ? Optional.empty() : Optional.of(PeerDigest.of(others));
  }

  private static Optional<String> otherFamily(NodeInfo n) {
    if (!n.internalIps().contains(n.encapIp())) {
      return Optional.empty();
    }
    boolean v6 = n.encapIp().contains(":");
    return n.internalIps().stream().filter(ip -> ip.contains(":") != v6).findFirst();
  }

  /** Peers a node should tunnel to: every other node with an encap IP. */
  int peers(String node) {
    return expected.count() - (encapOf(node).isEmpty() ? 0 : 1);
  }

  PeerSet forNode(String node) {
    return new PeerSet(
        expected.count(),
        expected.sha256(),
        encapOf(node),
        other.map(d -> new PeerSet(d.count(), d.sha256(), otherByNode.getOrDefault(node, ""))));
  }

  private String encapOf(String node) {
    String ip = encapByNode.get(node);
    return ip == null || !nodeByEncap.containsKey(ip) ? "" : ip;
  }

  /** From a node's RunChecks summary: a match costs nothing; a mismatch lists its remotes. */
  NodeFacts.Tunnels fromSummary(String node, NodeSummary s) {
    if (!s.error().isEmpty() && s.workingTunnels() == 0 && s.brokenTunnels() == 0) {
      return NodeFacts.Tunnels.unknown(s.error());
    }
    if (s.tunnelsMatchPeerSet()) {
      return NodeFacts.Tunnels.fullMesh();
    }
    return compare(node, s.tunnelRemoteIps());
  }

  /** From a GetNode answer (agents without summaries): only working tunnels count. */
  NodeFacts.Tunnels fromNodeInfo(String node, NodeReading info) {
    return compare(node, info.workingTunnelRemotes());
  }

  NodeFacts.Tunnels compare(String node, Collection<String> workingRemotes) {
    Set<String> remotes = new HashSet<>(workingRemotes);
    String self = encapOf(node);
    TreeSet<String> missing = new TreeSet<>();
    int missingCount = 0;
    for (Map.Entry<String, String> e : nodeByEncap.entrySet()) {
      if (!e.getKey().equals(self)
          && !remotes.contains(e.getKey())
          && !remotes.contains(otherByNode.getOrDefault(e.getValue(), e.getKey()))) {
        missingCount++;
        missing.add(e.getValue() + " (" + e.getKey() + ")");
        if (missing.size() > NodeFacts.NAMED) {
          missing.pollLast();
        }
      }
    }
    TreeSet<String> unexpected = new TreeSet<>();
    int unexpectedCount = 0;
    for (String r : remotes) {
      if (!r.isEmpty() && !nodeByEncap.containsKey(r) && !nodeByOther.containsKey(r)) {
        unexpectedCount++;
        unexpected.add(r);
        if (unexpected.size() > NodeFacts.NAMED) {
          unexpected.pollLast();
        }
      }
    }
    if (missingCount == 0 && unexpectedCount == 0) {
      return NodeFacts.Tunnels.fullMesh();
    }
    return new NodeFacts.Tunnels(
        NodeFacts.Tunnels.State.MISMATCH,
        List.copyOf(missing),
        missingCount,
        List.copyOf(unexpected),
        unexpectedCount,
        "");
  }
}
