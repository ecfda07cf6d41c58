package io.podpath.aggregator.sweep;

import io.podpath.aggregator.agents.AgentClient;
import io.podpath.aggregator.inventory.ClusterIndex;
import io.podpath.aggregator.inventory.Inventory;
import io.podpath.aggregator.inventory.NodeInfo;
import io.podpath.aggregator.model.CallScope;
import io.podpath.proto.v1.CheckReport;
import io.podpath.proto.v1.CheckResult;
import io.podpath.proto.v1.NodeReport;
import io.podpath.proto.v1.ProbeResult;
import io.podpath.proto.v1.RunChecksRequest;
import io.podpath.proto.v1.SweepResult;
import io.podpath.proto.v1.SweepUpdate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One sweep: RunChecks on every (or the named) node, then the cluster-level checks, with at most
 * {@code concurrency} agent calls in flight and no thread per call (the calls are asynchronous;
 * completions come back on a queue to the sweeping thread, which alone touches the state). Each
 * node's request is built when its call starts; each answer is reduced on arrival to what the
 * result needs (the capped report, a few facts), so memory is O(N) and time about N × call time /
 * concurrency. A node's MTU probe starts as soon as its report gives its pod MTU; follow-up calls
 * go before new nodes, so few nodes are half done at a time.
 */
public final class SweepRunner implements AutoCloseable {
  /** The check id under which an agent that did not answer is reported. */
  public static final String AGENT_CHECK = "agent";

  private final Inventory inventory;
  private final AgentClient agents;
  private final ClusterContexts contexts;
  private final int concurrency;
  private final Duration nodeDeadline;

  public SweepRunner(
      Inventory inventory,
      AgentClient agents,
      ClusterContexts contexts,
      int concurrency,
      Duration nodeDeadline) {
    if (concurrency < 1) {
      throw new IllegalArgumentException("concurrency must be at least 1, got " + concurrency);
    }
    this.inventory = inventory;
    this.agents = agents;
    this.contexts = contexts;
    this.concurrency = concurrency;
    this.nodeDeadline = nodeDeadline;
  }

  /**
   * Runs a sweep. {@code nodes} / {@code checkIds} empty = all. Throws {@link UnknownNodeException}
   * for a node the inventory does not know.
   */
  public SweepResult run(
      List<String> nodes, List<String> checkIds, Consumer<SweepUpdate> progress) {
    return run(nodes, checkIds, progress, CallScope.unbounded());
  }

  /**
   * Runs a sweep within its caller's {@code scope}: once the caller gives up no further agent call
   * starts, the calls in flight are cancelled, and this throws {@link SweepCancelledException}.
   */
  public SweepResult run(
      List<String> nodes, List<String> checkIds, Consumer<SweepUpdate> progress, CallScope scope) {
    ClusterIndex index = inventory.current();
    List<String> all = index.nodes().stream().map(NodeInfo::name).toList();
    Set<String> known = new HashSet<>(all);
    for (String n : nodes) {
      if (!known.contains(n)) {
        throw new UnknownNodeException(n, all);
      }
    }
    List<String> targets = nodes.isEmpty() ? all : List.copyOf(nodes);
    List<String> nodeChecks =
        checkIds.stream().filter(c -> !ClusterChecks.IDS.contains(c)).toList();
    List<String> wantedCluster =
        checkIds.isEmpty()
            ? List.of(
                ClusterChecks.TUNNEL_MESH, ClusterChecks.MTU_CONSISTENCY, ClusterChecks.MTU_PROBE)
            : checkIds.stream().filter(ClusterChecks.IDS::contains).toList();
    boolean runNodeChecks = checkIds.isEmpty() || !nodeChecks.isEmpty();
    Instant started = Instant.now();
    Sweep s = new Sweep(index, targets, nodeChecks, wantedCluster, runNodeChecks, progress, scope);
    Runnable unlisten = scope.onCancel(() -> s.completions.add(Event.STOP));
    try {
      s.run();
    } finally {
      unlisten.run();
    }
    SweepResult result =
        SweepResult.newBuilder()
            .setStartedAt(started.toString())
            .setFinishedAt(Instant.now().toString())
            .addAllNodes(Arrays.asList(s.reports))
            .addAllClusterChecks(s.clusterResults())
            .build();
    progress.accept(
        SweepUpdate.newBuilder()
            .setNodesTotal(targets.size())
            .setNodesDone(targets.size())
            .setResult(result)
            .build());
    return result;
  }

  /** A completed call, handled on the sweeping thread. */
  private record Event(Step step, int node, Object answer, Throwable error) {
    /** The caller gave up: wakes the sweeping thread. */
    static final Event STOP = new Event(null, -1, null, null);
  }

  private enum Step {
    RUN_CHECKS,
    GET_NODE,
    PROBE_SMALL,
    PROBE_BIG
  }

  /** The state of one sweep; only the sweeping thread touches it. */
  private final class Sweep {
    final List<String> targets;
    final List<String> nodeChecks;
    final List<String> wantedCluster;
    final boolean runNodeChecks;
    final boolean wantFacts;
    final Consumer<SweepUpdate> progress;
    final CallScope scope;
    final ClusterContexts.PerSweep perSweep;
    final MeshExpectation mesh;
    final int clusterNodes;
    final MtuProbes probes;
    final NodeReport[] reports;
    final NodeFacts[] facts;
    final ProbeResult[] smallProbes;
    final BlockingQueue<Event> completions = new LinkedBlockingQueue<>();
    final Deque<Supplier<CompletableFuture<Event>>> followUps = new ArrayDeque<>();
    int next;
    int inFlight;
    int nodesDone;

    /** The probes' wall time: from the first one sent to the last answer. */
    long probeStart;

    long probeEnd;

    Sweep(
        ClusterIndex index,
        List<String> targets,
        List<String> nodeChecks,
        List<String> wantedCluster,
        boolean runNodeChecks,
        Consumer<SweepUpdate> progress,
        CallScope scope) {
      this.targets = targets;
      this.scope = scope;
      this.nodeChecks = nodeChecks;
      this.wantedCluster = wantedCluster;
      this.runNodeChecks = runNodeChecks;
      this.wantFacts = !wantedCluster.isEmpty();
      this.progress = progress;
      this.perSweep = runNodeChecks ? contexts.forSweep(index) : null;
      this.mesh = new MeshExpectation(index);
      this.clusterNodes = index.nodes().size();
      this.probes = new MtuProbes(index);
      this.reports = new NodeReport[targets.size()];
      this.facts = new NodeFacts[targets.size()];
      this.smallProbes = new ProbeResult[targets.size()];
    }

    void run() {
      if (!runNodeChecks) {
        for (int i = 0; i < targets.size(); i++) {
          reports[i] = NodeReport.newBuilder().setNode(targets.get(i)).build();
          nodeDone(i);
        }
      }
      while (true) {
        if (scope.stopped().isPresent()) {
          // queued nodes are dropped; the calls in flight end with the scope (agent client)
          throw SweepErrors.stopped(scope);
        }
        while (inFlight < concurrency) {
          Supplier<CompletableFuture<Event>> call = followUps.poll();
          if (call == null && next < targets.size()) {
            call = nodeCall(next++);
          }
          if (call == null) {
            break;
          }
          inFlight++;
          var unused =
              call.get().thenAccept(completions::add); // calls never complete exceptionally
        }
        if (inFlight == 0) {
          return;
        }
        Event e;
        try {
          e = completions.take();
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("sweep interrupted", ie);
        }
        if (Event.STOP.equals(e)) {
          throw SweepErrors.stopped(scope);
        }
        inFlight--;
        handle(e);
      }
    }

    Supplier<CompletableFuture<Event>> nodeCall(int i) {
      String node = targets.get(i);
      if (!runNodeChecks) {
        return () -> call(Step.GET_NODE, i, agents.getNodeAsync(node, nodeDeadline, scope));
      }
      return () ->
          call(
              Step.RUN_CHECKS,
              i,
              agents.runChecksAsync(
                  node,
                  RunChecksRequest.newBuilder()
                      .addAllCheckIds(nodeChecks)
                      .setContext(perSweep.forNode(node, mesh.forNode(node)))
                      .setIncludeSummary(wantFacts)
                      .build(),
                  nodeDeadline,
                  scope));
    }

    CompletableFuture<Event> call(Step step, int i, CompletableFuture<?> f) {
      return f.handle((v, t) -> new Event(step, i, v, t == null ? null : SweepErrors.cause(t)));
    }

    void handle(Event e) {
      String node = targets.get(e.node());
      switch (e.step()) {
        case RUN_CHECKS -> {
          if (e.error() != null) {
            String why = SweepErrors.why(e.error());
            reports[e.node()] = SweepErrors.unreachable(node, why);
            if (wantFacts) {
              facts(e.node(), NodeFacts.unknown(node, "agent did not answer: " + why));
            }
          } else {
            CheckReport r = (CheckReport) e.answer();
            if (wantFacts && r.hasSummary()) {
              facts(e.node(), fromSummary(node, r));
            } else if (wantFacts) {
              // an agent older than NodeSummary: its GetNode answer, reduced on arrival
              followUps.add(
                  () ->
                      call(
                          Step.GET_NODE, e.node(), agents.getNodeAsync(node, nodeDeadline, scope)));
            }
            reports[e.node()] =
                NodeReports.of(
                    node,
                    r,
                    facts[e.node()],
                    targets.size() <= NodeReports.PASSING_EVIDENCE_MAX_NODES);
          }
          nodeDone(e.node());
        }
        case GET_NODE -> {
          if (e.error() != null) {
            facts(e.node(), NodeFacts.unknown(node, SweepErrors.why(e.error())));
          } else {
            io.podpath.proto.v1.NodeInfo info = (io.podpath.proto.v1.NodeInfo) e.answer();
            facts(
                e.node(),
                new NodeFacts(
                    node,
                    info.getPodMtu(),
                    info.getUnderlayMtu(),
                    mesh.fromNodeInfo(node, info),
                    ""));
          }
        }
        case PROBE_SMALL -> probed(e, false);
        case PROBE_BIG -> probed(e, true);
      }
    }

    NodeFacts fromSummary(String node, CheckReport r) {
      return NodeFacts.of(node, r.getSummary(), mesh.fromSummary(node, r.getSummary()));
    }

    void nodeDone(int i) {
      progress.accept(
          SweepUpdate.newBuilder()
              .setNodesTotal(targets.size())
              .setNodesDone(++nodesDone)
              .setNode(reports[i])
              .build());
    }

    /** The node's facts are known: its probe can start. */
    void facts(int i, NodeFacts f) {
      facts[i] = f;
      if (!wantedCluster.contains(ClusterChecks.MTU_PROBE)) {
        return;
      }
      probes
          .path(targets.get(i))
          .ifPresent(
              p -> {
                if (f.podMtu() == 0) {
                  probes.unknownMtu(p);
                } else {
                  followUps.addFirst(() -> probe(Step.PROBE_SMALL, i, p, MtuProbes.SMALL));
                }
              });
    }

    CompletableFuture<Event> probe(Step step, int i, MtuProbes.Path p, int size) {
      if (probeStart == 0) {
        probeStart = System.nanoTime();
      }
      return call(
          step, i, agents.probeAsync(p.a(), MtuProbes.request(p, size), nodeDeadline, scope));
    }

    void probed(Event e, boolean big) {
      probeEnd = System.nanoTime();
      int i = e.node();
      MtuProbes.Path p = probes.path(targets.get(i)).orElseThrow();
      if (e.error() != null) {
        probes.failedCall(
            p,
            big ? List.of(MtuProbes.smallEvidence(p, smallProbes[i])) : List.of(),
            SweepErrors.why(e.error()));
      } else if (!big) {
        ProbeResult small = (ProbeResult) e.answer();
        if (!small.getDelivered()) {
          probes.noConnectivity(p, small);
        } else {
          smallProbes[i] = small;
          int size = MtuProbes.bigSize(facts[i].podMtu());
          followUps.addFirst(() -> probe(Step.PROBE_BIG, i, p, size));
          return;
        }
      } else {
        probes.big(p, facts[i].podMtu(), smallProbes[i], (ProbeResult) e.answer());
      }
      smallProbes[i] = null;
    }

    List<CheckResult> clusterResults() {
      List<NodeFacts> known = new ArrayList<>();
      if (wantFacts) {
        for (NodeFacts f : facts) {
          known.add(f);
        }
      }
      List<CheckResult> out = new ArrayList<>();
      for (String id : wantedCluster) {
        long start = System.nanoTime();
        CheckResult r =
            switch (id) {
              case ClusterChecks.TUNNEL_MESH -> ClusterChecks.tunnelMesh(known, clusterNodes);
              case ClusterChecks.MTU_CONSISTENCY -> ClusterChecks.mtuConsistency(known);
              default -> ClusterChecks.mtuProbe(probes, NodeFacts.byName(targets, facts));
            };
        long nanos = System.nanoTime() - start;
        if (id.equals(ClusterChecks.MTU_PROBE)) {
          nanos += probeEnd - probeStart;
        }
        out.add(r.toBuilder().setDurationMicros(nanos / 1000).build());
      }
      return out;
    }
  }

  @Override
  public void close() {
    // Nothing to stop: calls run on the agent client's transport, not on threads of ours.
  }
}
