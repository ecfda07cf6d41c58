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
 * from no connectivity at all. The runner starts a node's probes as soon as its pod MTU is known,
 * many nodes at once; this class plans the pings and keeps each source's outcome (a few short
 * strings).
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

  private final Map<String, Blackhole> blackholes = new HashMap<>();

  /** One source's path: from a pod of {@code a} to a pod of {@code b}. */
  record Path(String a, String b, PodInfo src, PodInfo dst) {
    String dstIp() {
      return dst.ips().get(0);
    }

    /** What IP and ICMP headers add to ping's payload in this path's family. */
    int overhead() {
      return dstIp().contains(":") ? ICMP6_OVERHEAD : ICMP4_OVERHEAD;
    }

    String describe() {
      return src.ref() + " (" + a + ") → " + dst.ref() + " " + dstIp() + " (" + b + ")";
    }

    String pair() {
      return a + "→" + b;
    }
  }

  private final Map<String, Path> paths = new HashMap<>();
  private final List<String> ring;
  private final Map<String, Outcome> outcomes = new HashMap<>();

  /**
   * One pass over the pods: the first non-host-network pod of each node whose first address is
   * IPv4, or IPv6 when no pod has an IPv4 one (an IPv6-only cluster): one family on the whole ring.
   */
  MtuProbes(ClusterIndex index) {
    Map<String, PodInfo> first4 = new HashMap<>();
    Map<String, PodInfo> first6 = new HashMap<>();
    for (PodInfo p : index.allPods()) {
      if (!p.hostNetwork() && !p.ips().isEmpty()) {
        (p.ips().get(0).contains(":") ? first6 : first4).putIfAbsent(p.node(), p);
      }
    }
    Map<String, PodInfo> first = first4.isEmpty() ? first6 : first4;
    List<PodInfo> sources = new ArrayList<>();
    for (NodeInfo n : index.nodes()) {
      PodInfo p = first.get(n.name());
      if (p != null) {
        sources.add(p);
      }
    }
    this.ring = sources.stream().map(PodInfo::node).toList();
    for (int i = 0; i < sources.size() && sources.size() >= 2; i++) {
      PodInfo a = sources.get(i);
      PodInfo b = sources.get((i + 1) % sources.size());
      paths.put(a.node(), new Path(a.node(), b.node(), a, b));
    }
  }

  boolean applicable() {
    return ring.size() >= 2;
  }

  /** The path probed from {@code node}, when it has pods and a ring neighbour. */
  Optional<Path> path(String node) {
    return Optional.ofNullable(paths.get(node));
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
        p.a(),
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
      blackholes.put(p.a(), new Blackhole(p, podMtu, big, ev));
    }
  }

  private void record(Path p, Verdict v, String text, List<Ev> evidence) {
    outcomes.put(p.a(), new Outcome(p.a(), v, text, evidence, ""));
  }

  /**
   * Outcomes in ring order (the inventory's node order); each blackhole names the hop that limits
   * the size from both nodes' facts ({@code facts} by node name, absent when unknown).
   */
  List<Outcome> outcomes(Function<String, Optional<NodeFacts>> facts) {
    List<Outcome> out = new ArrayList<>();
    for (String n : ring) {
      Blackhole b = blackholes.get(n);
      Outcome o =
          b != null
              ? MtuHops.diagnose(
                  b.path(),
                  b.podMtu(),
                  b.big(),
                  b.evidence(),
                  facts.apply(n),
                  facts.apply(b.path().b()))
              : outcomes.get(n);
      if (o != null) {
        out.add(o);
      }
    }
    return out;
  }
}
