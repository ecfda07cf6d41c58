package io.podpath.aggregator.sweep;

import io.podpath.aggregator.inventory.ClusterIndex;
import io.podpath.aggregator.inventory.NodeInfo;
import io.podpath.aggregator.inventory.PodInfo;
import io.podpath.aggregator.model.PodPing;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The active MTU probe of one sweep: for each source node a, a DF ping of the largest size its pod
 * MTU allows (pod MTU - 28, or - 48 for ICMPv6 in an IPv6-only cluster) from one of its pods to a
 * pod on the next node b of the ring, through the tunnel; a small ping first tells an MTU blackhole
 * from no connectivity at all. A dual-stack cluster is probed in both families, each outcome naming
 * its family. The runner starts a node's probes as soon as its pod MTU is known, many nodes at
 * once; this class plans the pings and keeps each source's outcome (a few short strings).
 */
final class MtuProbes {
  /** IPv4 (20) + ICMP (8) headers: ping -s of the largest packet a pod MTU lets through. */
  static final int ICMP4_OVERHEAD = 28;

  /** IPv6 (40) + ICMPv6 (8) headers: an IPv6 packet is never fragmented on the way (no DF bit). */
  static final int ICMP6_OVERHEAD = 48;

  static final int SMALL = 56;
  static final int PROBE_TIMEOUT_MILLIS = 1500;

  enum Verdict {
    PASSED,
    FAILED,
    UNKNOWN
  }

  record Ev(String source, String value) {}

  /** {@code remediation}: what to do for this outcome's cause ("" for PASSED/UNKNOWN). */
  record Outcome(
      String source, Verdict verdict, String text, List<Ev> evidence, String remediation) {}

  /** A blackhole waiting for the receiver's facts to name its hop. */
  private record Blackhole(Path path, int podMtu, PodPing.Result big, List<Ev> evidence) {}

  private final Map<Path, Blackhole> blackholes = new HashMap<>();

  /**
   * One source's path in one family: from a pod of {@code a} to {@code dstIp} of a pod of {@code
   * b}; {@code dual}: the cluster is probed in both families, so the outcome names this one.
   */
  record Path(String a, String b, PodInfo src, PodInfo dst, String dstIp, boolean dual) {

    /** What IP and ICMP headers add to ping's payload in this path's family. */
    int overhead() {
      return dstIp().contains(":") ? ICMP6_OVERHEAD : ICMP4_OVERHEAD;
    }

    String describe() {
      return src.ref() + " (" + a + ") → " + dst.ref() + " " + dstIp() + " (" + b + ")";
    }

    String pair() {
      return a + "→" + b + (dual ? (dstIp.contains(":") ? " (IPv6)" : " (IPv4)") : "");
    }
  }

  private final Map<String, List<Path>> paths = new HashMap<>();
  private final List<String> ring = new ArrayList<>();
  private final Map<Path, Outcome> outcomes = new HashMap<>();

  /**
   * One pass over the pods: per family, the first non-host-network pod of each node with an address
   * of that family; each family with at least two such nodes is a ring (IPv4 first).
   */
  MtuProbes(ClusterIndex index) {
    Map<String, PodInfo> first4 = new HashMap<>();
    Map<String, PodInfo> first6 = new HashMap<>();
    for (PodInfo p : index.allPods()) {
      if (!p.hostNetwork()) {
        if (ip(p, false).isPresent()) {
          first4.putIfAbsent(p.node(), p);
        }
        if (ip(p, true).isPresent()) {
          first6.putIfAbsent(p.node(), p);
        }
      }
    }
    List<PodInfo> sources4 = sources(index, first4);
    List<PodInfo> sources6 = sources(index, first6);
    boolean dual = sources4.size() >= 2 && sources6.size() >= 2;
    ring(sources4, false, dual);
    ring(sources6, true, dual);
    for (NodeInfo n : index.nodes()) {
      if (paths.containsKey(n.name())) {
        ring.add(n.name());
      }
    }
  }

  private static Optional<String> ip(PodInfo p, boolean v6) {
    return p.ips().stream().filter(ip -> ip.contains(":") == v6).findFirst();
  }

  private static List<PodInfo> sources(ClusterIndex index, Map<String, PodInfo> first) {
    List<PodInfo> sources = new ArrayList<>();
    for (NodeInfo n : index.nodes()) {
      PodInfo p = first.get(n.name());
      if (p != null) {
        sources.add(p);
      }
    }
    return sources;
  }

  private void ring(List<PodInfo> sources, boolean v6, boolean dual) {
    for (int i = 0; i < sources.size() && sources.size() >= 2; i++) {
      PodInfo a = sources.get(i);
      PodInfo b = sources.get((i + 1) % sources.size());
      paths
          .computeIfAbsent(a.node(), k -> new ArrayList<>())
          .add(new Path(a.node(), b.node(), a, b, ip(b, v6).orElseThrow(), dual));
    }
  }

  boolean applicable() {
    return !ring.isEmpty();
  }

  /** The paths probed from {@code node} (one per family), when it has pods and a ring neighbour. */
  List<Path> paths(String node) {
    return paths.getOrDefault(node, List.of());
  }

  static PodPing request(Path p, int size) {
    return new PodPing(
        p.src().ref().namespace(),
        p.src().ref().name(),
        p.dstIp(),
        size,
        true,
        PROBE_TIMEOUT_MILLIS);
  }

  static int bigSize(Path p, int podMtu) {
    return podMtu - p.overhead();
  }

  void unknownMtu(Path p) {
    record(p, Verdict.UNKNOWN, p.pair() + ": pod MTU of " + p.a() + " unknown", List.of());
  }

  void failedCall(Path p, List<Ev> evidence, String why) {
    record(p, Verdict.UNKNOWN, p.pair() + ": " + why, evidence);
  }

  static Ev smallEvidence(Path p, PodPing.Result small) {
    return new Ev(
        "DF ping -s " + SMALL + " " + p.describe(), small.delivered() + ": " + small.detail());
  }

  /** The small ping was lost: no connectivity at all, no big ping, and no MTU advice. */
  void noConnectivity(Path p, PodPing.Result small) {
    outcomes.put(
        p,
        new Outcome(
            p.a(),
            Verdict.FAILED,
            p.pair() + ": no connectivity at all (a small ping is lost too: not an MTU problem)",
            List.of(smallEvidence(p, small)),
            "Not an MTU problem: even small packets from "
                + p.a()
                + " to "
                + p.b()
                + " are lost. Look at the tunnels, ovs and pod-plumbing checks of both nodes and"
                + " trace the path (podpath trace "
                + p.src().ref()
                + " "
                + p.dst().ref()
                + " --icmp)."));
  }

  void big(Path p, int podMtu, PodPing.Result small, PodPing.Result big) {
    int size = bigSize(p, podMtu);
    List<Ev> ev =
        List.of(
            smallEvidence(p, small),
            new Ev(
                "DF ping -s "
                    + size
                    + " (pod MTU "
                    + podMtu
                    + " - "
                    + p.overhead()
                    + ") "
                    + p.describe(),
                big.delivered() + ": " + big.detail()));
    if (big.delivered()) {
      record(p, Verdict.PASSED, p.pair(), ev);
    } else {
      blackholes.put(p, new Blackhole(p, podMtu, big, ev));
    }
  }

  private void record(Path p, Verdict v, String text, List<Ev> evidence) {
    outcomes.put(p, new Outcome(p.a(), v, text, evidence, ""));
  }

  /**
   * Outcomes in ring order (the inventory's node order); each blackhole names the hop that limits
   * the size from both nodes' facts ({@code facts} by node name, absent when unknown).
   */
  List<Outcome> outcomes(Function<String, Optional<NodeFacts>> facts) {
    List<Outcome> out = new ArrayList<>();
    for (String n : ring) {
      for (Path p : paths(n)) {
        Blackhole b = blackholes.get(p);
        Outcome o =
            b != null
                ? MtuHops.diagnose(
                    p, b.podMtu(), b.big(), b.evidence(), facts.apply(n), facts.apply(p.b()))
                : outcomes.get(p);
        if (o != null) {
          out.add(o);
        }
      }
    }
    return out;
  }
}
