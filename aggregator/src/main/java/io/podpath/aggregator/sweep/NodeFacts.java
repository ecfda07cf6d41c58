package io.podpath.aggregator.sweep;

import io.podpath.aggregator.model.NodeReading;
import io.podpath.aggregator.model.NodeSummary;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * What the cluster checks keep per node, O(1) in the cluster size: the MTUs and how the node's
 * tunnels compare with the cluster's encap IPs. Built on arrival of the node's summary (or GetNode
 * answer for agents that send no summary) and nothing more of that answer is kept.
 */
record NodeFacts(
    String node,
    int podMtu,
    int underlayMtu,
    Tunnels tunnels,
    String error,
    int tunnelPodMtu,
    SmallPod smallPod) {
  /** Facts without the tunnels' pod-MTU budget (GetNode of older agents): 0 = unknown. */
  NodeFacts(String node, int podMtu, int underlayMtu, Tunnels tunnels, String error) {
    this(node, podMtu, underlayMtu, tunnels, error, 0, SmallPod.NONE);
  }

  /**
   * The node's pod whose own eth0 MTU is below its pod MTU ("ns/name", MTU); {@link #NONE} when
   * none is, or the agent does not say.
   */
  record SmallPod(String pod, int mtu) {
    static final SmallPod NONE = new SmallPod("", 0);
  }

  /** Peers named per node at most; the count of the rest is kept. */
  static final int NAMED = 10;

  /** Facts by node name ({@code facts[i]} is {@code nodes.get(i)}'s, null when not known). */
  static Function<String, Optional<NodeFacts>> byName(List<String> nodes, NodeFacts[] facts) {
    Map<String, NodeFacts> m = new HashMap<>();
    for (int k = 0; k < nodes.size(); k++) {
      if (facts[k] != null) {
        m.put(nodes.get(k), facts[k]);
      }
    }
    return n -> Optional.ofNullable(m.get(n));
  }

  static NodeFacts of(String node, NodeSummary s, Tunnels tunnels) {
    SmallPod small = s.smallPod().map(p -> new SmallPod(p.pod(), p.mtu())).orElse(SmallPod.NONE);
    return new NodeFacts(
        node, s.podMtu(), s.underlayMtu(), tunnels, s.error(), s.tunnelPodMtu(), small);
  }

  /** From GetNode (agents older than NodeSummary): no tunnel budget, no small pod. */
  static NodeFacts of(String node, NodeReading info, Tunnels tunnels) {
    return new NodeFacts(node, info.podMtu(), info.underlayMtu(), tunnels, "");
  }

  static NodeFacts unknown(String node, String why) {
    return new NodeFacts(node, 0, 0, Tunnels.unknown(why), why);
  }

  /** The node's working tunnels against the cluster's encap IPs. */
  record Tunnels(
      State state,
      List<String> missing,
      int missingCount,
      List<String> unexpected,
      int unexpectedCount,
      String reason) {
    enum State {
      FULL_MESH,
      MISMATCH,
      UNKNOWN
    }

    Tunnels {
      missing = List.copyOf(missing.subList(0, Math.min(NAMED, missing.size())));
      unexpected = List.copyOf(unexpected.subList(0, Math.min(NAMED, unexpected.size())));
    }

    static Tunnels fullMesh() {
      return new Tunnels(State.FULL_MESH, List.of(), 0, List.of(), 0, "");
    }

    static Tunnels unknown(String why) {
      return new Tunnels(State.UNKNOWN, List.of(), 0, List.of(), 0, why);
    }

    /** "no tunnel to node3 (10.0.0.3), … (12 in all); unexpected tunnel to 10.9.9.9". */
    String describe() {
      StringBuilder b = new StringBuilder();
      if (missingCount > 0) {
        b.append("no tunnel to ").append(named(missing, missingCount));
      }
      if (unexpectedCount > 0) {
        b.append(b.isEmpty() ? "" : "; ")
            .append("tunnel to ")
            .append(named(unexpected, unexpectedCount))
            .append(" which no node of the cluster has as encap IP");
      }
      return b.toString();
    }

    static String named(List<String> named, int count) {
      return String.join(", ", named) + (count > named.size() ? ", … (" + count + " in all)" : "");
    }
  }
}
