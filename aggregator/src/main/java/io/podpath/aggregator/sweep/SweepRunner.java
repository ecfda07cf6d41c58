package io.podpath.aggregator.sweep;

import io.podpath.aggregator.agents.AgentClient;
import io.podpath.aggregator.inventory.ClusterIndex;
import io.podpath.aggregator.inventory.Inventory;
import io.podpath.aggregator.inventory.NodeInfo;
import io.podpath.aggregator.model.CallScope;
import io.podpath.aggregator.model.Check;
import io.podpath.aggregator.model.ChecksRequest;
import io.podpath.aggregator.model.NodeChecks;
import io.podpath.aggregator.model.PodPing;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

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
  public SweepReport run(
      List<String> nodes, List<String> checkIds, Consumer<SweepProgress> progress) {
    return run(nodes, checkIds, progress, CallScope.unbounded());
  }

  /**
   * Runs a sweep within its caller's {@code scope}: once the caller gives up no further agent call
   * starts, the calls in flight are cancelled, and this throws {@link SweepCancelledException}.
   */
  public SweepReport run(
      List<String> nodes,
      List<String> checkIds,
      Consumer<SweepProgress> progress,
      CallScope scope) {
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
    Runnable unlisten = scope.onCancel(() -> s.completions.add(SweepEvent.STOP));
    try {
      s.run();
    } finally {
      unlisten.run();
    }
    SweepReport result =
        new SweepReport(started, Instant.now(), Arrays.asList(s.reports), s.clusterResults());
    progress.accept(SweepProgress.finished(result));
    return result;
  }

  /** The state of one sweep; only the sweeping thread touches it. */
  private final class Sweep {
    final List<String> targets;
    final List<String> nodeChecks;
    final List<String> wantedCluster;
    final boolean runNodeChecks;
    final boolean wantFacts;
    final Consumer<SweepProgress> progress;
    final CallScope scope;

    /** Null when the sweep runs no node checks (cluster checks only). */
    final ClusterContexts.@Nullable PerSweep perSweep;

    final MeshExpectation mesh;
    final int clusterNodes;
    final MtuProbes probes;
    final NodeResult[] reports;
    final NodeFacts[] facts;
    final Map<MtuProbes.Path, PodPing.Result> smallProbes = new HashMap<>();
    final BlockingQueue<SweepEvent> completions = new LinkedBlockingQueue<>();
    final Deque<Supplier<CompletableFuture<SweepEvent>>> followUps = new ArrayDeque<>();
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
        Consumer<SweepProgress> progress,
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
      this.reports = new NodeResult[targets.size()];
      this.facts = new NodeFacts[targets.size()];
    }

    void run() {
      if (!runNodeChecks) {
        for (int i = 0; i < targets.size(); i++) {
          reports[i] = new NodeResult(targets.get(i), Optional.empty(), List.of());
          nodeDone(i);
        }
      }
      while (true) {
        if (scope.stopped().isPresent()) {
          // queued nodes are dropped; the calls in flight end with the scope (agent client)
          throw SweepErrors.stopped(scope);
        }
        while (inFlight < concurrency) {
          Supplier<CompletableFuture<SweepEvent>> call = followUps.poll();
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
        SweepEvent e;
        try {
          e = completions.take();
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("sweep interrupted", ie);
        }
        if (e instanceof SweepEvent.Stop) {
          throw SweepErrors.stopped(scope);
        }
        inFlight--;
        handle(e);
      }
    }

    Supplier<CompletableFuture<SweepEvent>> nodeCall(int i) {
      String node = targets.get(i);
      ClusterContexts.PerSweep ctx = perSweep;
      if (ctx == null) {
        return () -> nodeRead(i);
      }
      return () ->
          call(
              SweepEvent.Step.RUN_CHECKS,
              i,
              r -> new SweepEvent.Checked(i, r),
              agents.checksAsync(
                  node,
                  new ChecksRequest(nodeChecks, ctx.forNode(node, mesh.forNode(node)), wantFacts),
                  nodeDeadline,
                  scope));
    }

    /** {@code f} as the event its answer or failure makes; it never completes exceptionally. */
    <T> CompletableFuture<SweepEvent> call(
        SweepEvent.Step step, int i, Function<T, SweepEvent> answered, CompletableFuture<T> f) {
      return f.handle(
          (v, t) ->
              t == null ? answered.apply(v) : new SweepEvent.Failed(i, step, SweepErrors.cause(t)));
    }

    CompletableFuture<SweepEvent> nodeRead(int i) {
      return call(
          SweepEvent.Step.GET_NODE,
          i,
          info -> new SweepEvent.NodeRead(i, info),
          agents.readNodeAsync(targets.get(i), nodeDeadline, scope));
    }

    void handle(SweepEvent e) {
      if (e instanceof SweepEvent.Checked c) {
        checked(c.node(), c.report());
      } else if (e instanceof SweepEvent.NodeRead n) {
        String node = targets.get(n.node());
        var tunnels = mesh.fromNodeInfo(node, n.info());
        facts(n.node(), NodeFacts.of(node, n.info(), tunnels));
      } else if (e instanceof SweepEvent.Probed p) {
        probed(p.node(), p.path(), p.big(), p.result());
      } else if (e instanceof SweepEvent.ProbeFailed f) {
        probeEnd = System.nanoTime();
        PodPing.Result small = smallProbes.remove(f.path());
        String why = SweepErrors.why(f.error());
        probes.failedCall(
            f.path(),
            f.big() && small != null
                ? List.of(MtuProbes.smallEvidence(f.path(), small))
                : List.of(),
            why);
      } else if (e instanceof SweepEvent.Failed f) {
        failed(f);
      }
    }

    void checked(int i, NodeChecks r) {
      String node = targets.get(i);
      if (wantFacts && r.summary().isPresent()) {
        facts(i, NodeFacts.of(node, r.summary().get(), mesh.fromSummary(node, r.summary().get())));
      } else if (wantFacts) {
        // an agent older than NodeSummary: its GetNode answer, reduced on arrival
        followUps.add(() -> nodeRead(i));
      }
      reports[i] =
          NodeReports.of(
              node, r, facts[i], targets.size() <= NodeReports.PASSING_EVIDENCE_MAX_NODES);
      nodeDone(i);
    }

    void failed(SweepEvent.Failed e) {
      int i = e.node();
      String node = targets.get(i);
      String why = SweepErrors.why(e.error());
      switch (e.step()) {
        case RUN_CHECKS -> {
          reports[i] = SweepErrors.unreachable(node, why);
          if (wantFacts) {
            facts(i, NodeFacts.unknown(node, "agent did not answer: " + why));
          }
          nodeDone(i);
        }
        case GET_NODE -> facts(i, NodeFacts.unknown(node, why));
      }
    }

    void nodeDone(int i) {
      progress.accept(SweepProgress.nodeDone(targets.size(), ++nodesDone, reports[i]));
    }

    /** The node's facts are known: its probe can start. */
    void facts(int i, NodeFacts f) {
      facts[i] = f;
      if (!wantedCluster.contains(ClusterChecks.MTU_PROBE)) {
        return;
      }
      for (MtuProbes.Path p : probes.paths(targets.get(i))) {
        if (f.podMtu() == 0) {
          probes.unknownMtu(p);
        } else {
          followUps.addFirst(() -> probe(false, i, p, MtuProbes.SMALL));
        }
      }
    }

    CompletableFuture<SweepEvent> probe(boolean big, int i, MtuProbes.Path p, int size) {
      if (probeStart == 0) {
        probeStart = System.nanoTime();
      }
      return agents
          .pingAsync(p.a(), MtuProbes.request(p, size), nodeDeadline, scope)
          .handle(
              (r, t) ->
                  t == null
                      ? new SweepEvent.Probed(i, p, big, r)
                      : new SweepEvent.ProbeFailed(i, p, big, SweepErrors.cause(t)));
    }

    void probed(int i, MtuProbes.Path p, boolean big, PodPing.Result result) {
      probeEnd = System.nanoTime();
      if (!big) {
        if (!result.delivered()) {
          probes.noConnectivity(p, result);
        } else {
          smallProbes.put(p, result);
          int size = MtuProbes.bigSize(p, facts[i].podMtu());
          followUps.addFirst(() -> probe(true, i, p, size));
        }
      } else {
        PodPing.Result small = smallProbes.remove(p);
        if (small != null) {
          probes.big(p, facts[i].podMtu(), small, result);
        }
      }
    }

    List<Check> clusterResults() {
      List<NodeFacts> known = new ArrayList<>();
      if (wantFacts) {
        for (NodeFacts f : facts) {
          known.add(f);
        }
      }
      List<Check> out = new ArrayList<>();
      for (String id : wantedCluster) {
        long start = System.nanoTime();
        Check r =
            switch (id) {
              case ClusterChecks.TUNNEL_MESH -> ClusterChecks.tunnelMesh(known, clusterNodes);
              case ClusterChecks.MTU_CONSISTENCY -> ClusterChecks.mtuConsistency(known);
              default -> ClusterChecks.mtuProbe(probes, NodeFacts.byName(targets, facts));
            };
        long nanos = System.nanoTime() - start;
        if (id.equals(ClusterChecks.MTU_PROBE)) {
          nanos += probeEnd - probeStart;
        }
        out.add(r.withDurationMicros(nanos / 1000));
      }
      return out;
    }
  }

  @Override
  public void close() {
    // Nothing to stop: calls run on the agent client's transport, not on threads of ours.
  }
}
