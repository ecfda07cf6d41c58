package io.podpath.aggregator.sweep;

import io.podpath.aggregator.model.Check;
import io.podpath.aggregator.model.CheckStatus;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Checks that need several nodes, judged from what each node's answer was reduced to ({@link
 * NodeFacts}, {@link MtuProbes.Outcome}): the tunnel full mesh, MTU consistency, the active MTU
 * probe. Summaries and evidence name at most a few dozen nodes, so a result stays small however
 * large the cluster.
 */
public final class ClusterChecks {
  public static final String TUNNEL_MESH = "tunnel-mesh";
  public static final String MTU_CONSISTENCY = "mtu-consistency";
  public static final String MTU_PROBE = "mtu-probe";
  public static final Set<String> IDS = Set.of(TUNNEL_MESH, MTU_CONSISTENCY, MTU_PROBE);

  /** Nodes (or node pairs) named in a summary or in evidence at most. */
  static final int NAMED = 20;

  private ClusterChecks() {}

  /** Each node's working tunnels against every other node's encap IP. */
  static Check tunnelMesh(Collection<NodeFacts> facts, int clusterNodes) {
    R r = new R(TUNNEL_MESH);
    List<String> missing = new ArrayList<>();
    int missingPairs = 0;
    List<String> unknown = new ArrayList<>();
    int unknownCount = 0;
    int full = 0;
    int evidence = 0;
    for (NodeFacts f : facts) {
      NodeFacts.Tunnels t = f.tunnels();
      switch (t.state()) {
        case FULL_MESH -> full++;
        case UNKNOWN -> {
          if (unknownCount++ < NAMED) {
            unknown.add(f.node() + " (" + t.reason() + ")");
          }
        }
        case MISMATCH -> {
          if (evidence++ < NAMED) {
            evidence(r, "tunnels of " + f.node(), t.describe());
          }
          for (String peer : t.missing()) {
            if (missing.size() < NAMED) {
              missing.add(f.node() + "→" + peer);
            }
          }
          missingPairs += t.missingCount();
          if (t.unexpectedCount() > 0 && t.missingCount() == 0 && missing.size() < NAMED) {
            missing.add(f.node() + ": " + t.describe());
            missingPairs++;
          }
        }
      }
    }
    evidence(r, "nodes with a working tunnel to every other node", full + " of " + facts.size());
    if (missingPairs > 0) {
      return r.setStatus(CheckStatus.FAIL)
          .setSummary(
              "tunnel mesh incomplete: "
                  + String.join(", ", missing)
                  + (missingPairs > missing.size() ? ", … (" + missingPairs + " in all)" : ""))
          .setRemediation(
              "On the source node, check ovn-controller's log and the peer's Chassis"
                  + " and Encap rows (ovn-sbctl show); the tunnel port is made from them.")
          .build();
    }
    if (unknownCount > 0) {
      return r.setStatus(CheckStatus.UNKNOWN)
          .setSummary(
              "could not read tunnels of "
                  + String.join(", ", unknown)
                  + (unknownCount > unknown.size() ? ", … (" + unknownCount + " in all)" : ""))
          .build();
    }
    if (facts.size() < 2 && clusterNodes < 2) {
      return r.setStatus(CheckStatus.NOT_APPLICABLE)
          .setSummary("a single node has no tunnel to build")
          .build();
    }
    return r.setStatus(CheckStatus.OK)
        .setSummary("full mesh: every node has a working tunnel to every other node")
        .build();
  }

  /** Pod and underlay MTUs agree across nodes. */
  static Check mtuConsistency(Collection<NodeFacts> facts) {
    R r = new R(MTU_CONSISTENCY);
    Map<Integer, List<String>> pod = new TreeMap<>();
    Map<Integer, List<String>> underlay = new TreeMap<>();
    for (NodeFacts f : facts) {
      if (f.podMtu() > 0) {
        pod.computeIfAbsent(f.podMtu(), k -> new ArrayList<>()).add(f.node());
      }
      if (f.underlayMtu() > 0) {
        underlay.computeIfAbsent(f.underlayMtu(), k -> new ArrayList<>()).add(f.node());
      }
    }
    evidence(r, "pod MTU per node", grouped(pod));
    evidence(r, "underlay MTU per node", grouped(underlay));
    if (pod.isEmpty()) {
      return r.setStatus(CheckStatus.UNKNOWN).setSummary("no node reported a pod MTU").build();
    }
    List<String> problems = new ArrayList<>();
    if (pod.size() > 1) {
      problems.add("pod MTU differs between nodes " + grouped(pod));
    }
    if (underlay.size() > 1) {
      problems.add("underlay MTU differs between nodes " + grouped(underlay));
    }
    if (!problems.isEmpty()) {
      return r.setStatus(CheckStatus.WARN)
          .setSummary(String.join("; ", problems))
          .setRemediation(
              "Use one pod MTU (the CNI's) and one underlay MTU on every node: a"
                  + " larger MTU on one side blackholes full-size packets towards the other.")
          .build();
    }
    return r.setStatus(CheckStatus.OK)
        .setSummary("pod MTU " + pod.keySet().iterator().next() + " on every node")
        .build();
  }

  /** "{1400=[n1, n2], 1500=[n3]}", each group's names capped: "1400=[n1, … (4999 nodes)]". */
  static String grouped(Map<Integer, List<String>> byMtu) {
    StringBuilder b = new StringBuilder("{");
    byMtu.forEach(
        (mtu, nodes) -> {
          b.append(b.length() > 1 ? ", " : "").append(mtu).append("=");
          b.append(
              nodes.size() <= NAMED
                  ? nodes.toString()
                  : "["
                      + String.join(", ", nodes.subList(0, NAMED))
                      + ", … ("
                      + nodes.size()
                      + " nodes)]");
        });
    return b.append("}").toString();
  }

  /** The active probe's verdict over every source node's outcome. */
  static Check mtuProbe(MtuProbes probes, Function<String, Optional<NodeFacts>> facts) {
    R r = new R(MTU_PROBE);
    if (!probes.applicable()) {
      return r.setStatus(CheckStatus.NOT_APPLICABLE)
          .setSummary("fewer than two nodes with pods: no tunnel path to probe")
          .build();
    }
    List<String> failures = new ArrayList<>();
    Set<String> fixes = new LinkedHashSet<>();
    List<String> unknown = new ArrayList<>();
    int failed = 0;
    int unknowns = 0;
    int passed = 0;
    for (MtuProbes.Outcome o : probes.outcomes(facts)) {
      boolean named =
          o.verdict() != MtuProbes.Verdict.PASSED ? failed + unknowns < NAMED : passed < NAMED;
      if (named) {
        o.evidence().forEach(e -> evidence(r, e.source(), e.value()));
      }
      switch (o.verdict()) {
        case PASSED -> passed++;
        case FAILED -> {
          if (failed++ < NAMED) {
            failures.add(o.text());
            fixes.add(o.remediation());
          }
        }
        case UNKNOWN -> {
          if (unknowns++ < NAMED) {
            unknown.add(o.text());
          }
        }
      }
    }
    if (failed > 0) {
      return r.setStatus(CheckStatus.FAIL)
          .setSummary(String.join("; ", failures) + more(failed, failures.size()))
          .setRemediation(String.join(" ", fixes))
          .build();
    }
    if (unknowns > 0) {
      return r.setStatus(CheckStatus.UNKNOWN)
          .setSummary(String.join("; ", unknown) + more(unknowns, unknown.size()))
          .build();
    }
    return r.setStatus(CheckStatus.OK)
        .setSummary("full-size DF packets cross the tunnel on " + passed + " node pair(s)")
        .build();
  }

  private static String more(int all, int named) {
    return all > named ? "; … (" + all + " in all)" : "";
  }

  private static void evidence(R r, String source, String value) {
    r.evidence.add(new Check.Evidence(source, value));
  }

  /** A cluster check's result as it is judged: evidence first, then the verdict. */
  private static final class R {
    final String id;
    final List<Check.Evidence> evidence = new ArrayList<>();
    CheckStatus status = CheckStatus.UNKNOWN;
    String summary = "";
    String remediation = "";

    R(String id) {
      this.id = id;
    }

    R setStatus(CheckStatus s) {
      status = s;
      return this;
    }

    R setSummary(String s) {
      summary = s;
      return this;
    }

    R setRemediation(String s) {
      remediation = s;
      return this;
    }

    Check build() {
      return new Check(id, status, summary, remediation, 0, evidence);
    }
  }
}
