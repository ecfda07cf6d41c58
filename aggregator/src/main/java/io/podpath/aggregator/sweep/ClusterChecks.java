package io.podpath.aggregator.sweep;

import io.podpath.aggregator.agents.AgentClient;
import io.podpath.aggregator.agents.AgentException;
import io.podpath.aggregator.inventory.ClusterIndex;
import io.podpath.aggregator.inventory.NodeInfo;
import io.podpath.aggregator.inventory.PodInfo;
import io.podpath.proto.v1.CheckResult;
import io.podpath.proto.v1.CheckStatus;
import io.podpath.proto.v1.Evidence;
import io.podpath.proto.v1.PodRef;
import io.podpath.proto.v1.ProbeRequest;
import io.podpath.proto.v1.ProbeResult;
import io.podpath.proto.v1.Protocol;
import io.podpath.proto.v1.TunnelPort;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** Checks that need several nodes: the tunnel full mesh, MTU consistency, the active MTU probe. */
public final class ClusterChecks {
  public static final String TUNNEL_MESH = "tunnel-mesh";
  public static final String MTU_CONSISTENCY = "mtu-consistency";
  public static final String MTU_PROBE = "mtu-probe";
  public static final Set<String> IDS = Set.of(TUNNEL_MESH, MTU_CONSISTENCY, MTU_PROBE);

  /** IPv4 (20) + ICMP (8) headers: ping -s of the largest packet a pod MTU lets through. */
  static final int ICMP4_OVERHEAD = 28;

  static final int PROBE_TIMEOUT_MILLIS = 1500;

  private final AgentClient agents;

  public ClusterChecks(AgentClient agents) {
    this.agents = agents;
  }

  /** Each node's tunnels (from GetNode) against every other node's encap IP. */
  public CheckResult tunnelMesh(ClusterIndex index, Map<String, Answer> infos) {
    CheckResult.Builder r = CheckResult.newBuilder().setId(TUNNEL_MESH);
    List<String> missing = new ArrayList<>();
    List<String> unknown = new ArrayList<>();
    for (Map.Entry<String, Answer> e : infos.entrySet()) {
      if (e.getValue().info().isEmpty()) {
        unknown.add(e.getKey() + " (" + e.getValue().error() + ")");
        continue;
      }
      Set<String> remotes =
          e.getValue().info().get().getTunnelsList().stream()
              .filter(t -> t.getError().isEmpty() && t.getOfport() > 0)
              .map(TunnelPort::getRemoteIp)
              .collect(Collectors.toCollection(TreeSet::new));
      evidence(r, "tunnels of " + e.getKey(), remotes.toString());
      for (NodeInfo peer : index.nodes()) {
        if (!peer.name().equals(e.getKey())
            && !peer.encapIp().isEmpty()
            && !remotes.contains(peer.encapIp())) {
          missing.add(e.getKey() + "→" + peer.name() + " (" + peer.encapIp() + ")");
        }
      }
    }
    if (!missing.isEmpty()) {
      return r.setStatus(CheckStatus.CHECK_STATUS_FAIL)
          .setSummary("tunnel mesh incomplete: " + String.join(", ", missing))
          .setRemediation(
              "On the source node, check ovn-controller's log and the peer's Chassis"
                  + " and Encap rows (ovn-sbctl show); the tunnel port is made from them.")
          .build();
    }
    if (!unknown.isEmpty()) {
      return r.setStatus(CheckStatus.CHECK_STATUS_UNKNOWN)
          .setSummary("could not read tunnels of " + String.join(", ", unknown))
          .build();
    }
    if (infos.size() < 2 && index.nodes().size() < 2) {
      return r.setStatus(CheckStatus.CHECK_STATUS_NOT_APPLICABLE)
          .setSummary("a single node has no tunnel to build")
          .build();
    }
    return r.setStatus(CheckStatus.CHECK_STATUS_OK)
        .setSummary("full mesh: every node has a working tunnel to every other node")
        .build();
  }

  /** Pod and underlay MTUs agree across nodes. */
  public CheckResult mtuConsistency(Map<String, Answer> infos) {
    CheckResult.Builder r = CheckResult.newBuilder().setId(MTU_CONSISTENCY);
    Map<String, Integer> pod = new TreeMap<>();
    Map<String, Integer> underlay = new TreeMap<>();
    infos.forEach(
        (n, a) ->
            a.info()
                .ifPresent(
                    i -> {
                      if (i.getPodMtu() > 0) {
                        pod.put(n, i.getPodMtu());
                      }
                      if (i.getUnderlayMtu() > 0) {
                        underlay.put(n, i.getUnderlayMtu());
                      }
                    }));
    evidence(r, "pod MTU per node", pod.toString());
    evidence(r, "underlay MTU per node", underlay.toString());
    if (pod.isEmpty()) {
      return r.setStatus(CheckStatus.CHECK_STATUS_UNKNOWN)
          .setSummary("no node reported a pod MTU")
          .build();
    }
    List<String> problems = new ArrayList<>();
    if (new TreeSet<>(pod.values()).size() > 1) {
      problems.add("pod MTU differs between nodes " + pod);
    }
    if (new TreeSet<>(underlay.values()).size() > 1) {
      problems.add("underlay MTU differs between nodes " + underlay);
    }
    if (!problems.isEmpty()) {
      return r.setStatus(CheckStatus.CHECK_STATUS_WARN)
          .setSummary(String.join("; ", problems))
          .setRemediation(
              "Use one pod MTU (the CNI's) and one underlay MTU on every node: a"
                  + " larger MTU on one side blackholes full-size packets towards the other.")
          .build();
    }
    return r.setStatus(CheckStatus.CHECK_STATUS_OK)
        .setSummary("pod MTU " + pod.values().iterator().next() + " on every node")
        .build();
  }

  /**
   * For each source node, a DF ping of the largest size its pod MTU allows (pod MTU - 28) from one
   * of its pods to a pod on the next node of the ring, through the tunnel; a small ping first tells
   * an MTU blackhole from no connectivity at all.
   */
  public CheckResult mtuProbe(ClusterIndex index, List<String> sources, Map<String, Answer> infos) {
    CheckResult.Builder r = CheckResult.newBuilder().setId(MTU_PROBE);
    List<String> ring =
        index.nodes().stream()
            .map(NodeInfo::name)
            .filter(n -> firstPod(index, n).isPresent())
            .toList();
    if (ring.size() < 2) {
      return r.setStatus(CheckStatus.CHECK_STATUS_NOT_APPLICABLE)
          .setSummary("fewer than two nodes with pods: no tunnel path to probe")
          .build();
    }
    List<String> failures = new ArrayList<>();
    List<String> unknown = new ArrayList<>();
    int passed = 0;
    for (String a : sources) {
      int i = ring.indexOf(a);
      if (i < 0) {
        continue;
      }
      String b = ring.get((i + 1) % ring.size());
      PodInfo src = firstPod(index, a).orElseThrow();
      PodInfo dst = firstPod(index, b).orElseThrow();
      int mtu = infos.containsKey(a) ? infos.get(a).info().map(x -> x.getPodMtu()).orElse(0) : 0;
      if (mtu == 0) {
        unknown.add(a + "→" + b + ": pod MTU of " + a + " unknown");
        continue;
      }
      int size = mtu - ICMP4_OVERHEAD;
      String path =
          src.ref() + " (" + a + ") → " + dst.ref() + " " + dst.ips().get(0) + " (" + b + ")";
      try {
        ProbeResult small = probe(a, src, dst.ips().get(0), 56);
        evidence(r, "DF ping -s 56 " + path, small.getDelivered() + ": " + small.getDetail());
        if (!small.getDelivered()) {
          failures.add(a + "→" + b + ": no connectivity at all (small ping lost)");
          continue;
        }
        ProbeResult big = probe(a, src, dst.ips().get(0), size);
        evidence(
            r,
            "DF ping -s " + size + " (pod MTU " + mtu + " - 28) " + path,
            big.getDelivered() + ": " + big.getDetail());
        if (big.getDelivered()) {
          passed++;
        } else {
          failures.add(
              a
                  + "→"
                  + b
                  + ": DF packets of "
                  + mtu
                  + " bytes lost, small ones pass"
                  + " (MTU blackhole)");
        }
      } catch (AgentException e) {
        unknown.add(a + "→" + b + ": " + e.getMessage());
      }
    }
    if (!failures.isEmpty()) {
      return r.setStatus(CheckStatus.CHECK_STATUS_FAIL)
          .setSummary(String.join("; ", failures))
          .setRemediation(
              "Lower the pod MTU to the underlay MTU minus the encapsulation overhead"
                  + " (58 bytes for OVN Geneve), or raise the underlay MTU.")
          .build();
    }
    if (!unknown.isEmpty()) {
      return r.setStatus(CheckStatus.CHECK_STATUS_UNKNOWN)
          .setSummary(String.join("; ", unknown))
          .build();
    }
    return r.setStatus(CheckStatus.CHECK_STATUS_OK)
        .setSummary("full-size DF packets cross the tunnel on " + passed + " node pair(s)")
        .build();
  }

  private ProbeResult probe(String node, PodInfo src, String dstIp, int size) {
    return agents.probe(
        node,
        ProbeRequest.newBuilder()
            .setSource(
                PodRef.newBuilder().setNamespace(src.ref().namespace()).setName(src.ref().name()))
            .setDestinationIp(dstIp)
            .setProtocol(Protocol.PROTOCOL_ICMP)
            .setSize(size)
            .setDontFragment(true)
            .setTimeoutMillis(PROBE_TIMEOUT_MILLIS)
            .build());
  }

  static Optional<PodInfo> firstPod(ClusterIndex index, String node) {
    return index.allPods().stream()
        .filter(
            p ->
                p.node().equals(node)
                    && !p.hostNetwork()
                    && !p.ips().isEmpty()
                    && !p.ips().get(0).contains(":"))
        .findFirst();
  }

  private static void evidence(CheckResult.Builder r, String source, String value) {
    r.addEvidence(Evidence.newBuilder().setSource(source).setValue(value));
  }

  /** A node's GetNode answer, or why there is none. */
  public record Answer(Optional<io.podpath.proto.v1.NodeInfo> info, String error) {}
}
