package io.podpath.aggregator.sweep;

import io.podpath.aggregator.agents.AgentClient;
import io.podpath.aggregator.agents.AgentException;
import io.podpath.aggregator.inventory.ClusterIndex;
import io.podpath.aggregator.inventory.Inventory;
import io.podpath.aggregator.inventory.NodeInfo;
import io.podpath.proto.v1.CheckReport;
import io.podpath.proto.v1.CheckResult;
import io.podpath.proto.v1.CheckStatus;
import io.podpath.proto.v1.NodeReport;
import io.podpath.proto.v1.RunChecksRequest;
import io.podpath.proto.v1.SweepResult;
import io.podpath.proto.v1.SweepUpdate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * One sweep: RunChecks on every (or the named) node, at most {@code concurrency} at a time, each
 * bounded by {@code nodeDeadline}; then the cluster-level checks. Progress is reported per node.
 */
public final class SweepRunner implements AutoCloseable {
  /** The check id under which an agent that did not answer is reported. */
  public static final String AGENT_CHECK = "agent";

  private final Inventory inventory;
  private final AgentClient agents;
  private final ClusterContexts contexts;
  private final ClusterChecks clusterChecks;
  private final Duration nodeDeadline;
  private final ExecutorService workers;
  private final ExecutorService calls;

  public SweepRunner(
      Inventory inventory,
      AgentClient agents,
      ClusterContexts contexts,
      int concurrency,
      Duration nodeDeadline) {
    this.inventory = inventory;
    this.agents = agents;
    this.contexts = contexts;
    this.clusterChecks = new ClusterChecks(agents);
    this.nodeDeadline = nodeDeadline;
    this.workers = Executors.newFixedThreadPool(concurrency, daemon("sweep-node"));
    this.calls = Executors.newCachedThreadPool(daemon("sweep-call"));
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /**
   * Runs a sweep. {@code nodes} / {@code checkIds} empty = all. Throws {@link UnknownNodeException}
   * for a node the inventory does not know.
   */
  public SweepResult run(
      List<String> nodes, List<String> checkIds, Consumer<SweepUpdate> progress) {
    ClusterIndex index = inventory.current();
    List<String> all = index.nodes().stream().map(NodeInfo::name).toList();
    for (String n : nodes) {
      if (!all.contains(n)) {
        throw new UnknownNodeException(n);
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

    // Requests are built inside each task, so only `concurrency` contexts (each listing every
    // peer) exist at a time; completions arrive on a queue, so collecting them is O(N).
    Map<String, CompletableFuture<NodeReport>> futures = new LinkedHashMap<>();
    java.util.concurrent.BlockingQueue<NodeReport> finished =
        new java.util.concurrent.LinkedBlockingQueue<>();
    for (String n : targets) {
      CompletableFuture<NodeReport> f =
          runNodeChecks
              ? CompletableFuture.supplyAsync(
                  () ->
                      nodeReport(
                          n,
                          RunChecksRequest.newBuilder()
                              .addAllCheckIds(nodeChecks)
                              .setContext(contexts.forNode(index, n))
                              .build()),
                  workers)
              : CompletableFuture.completedFuture(NodeReport.newBuilder().setNode(n).build());
      f = f.exceptionally(e -> unreachable(n, "sweeping this node failed: " + e));
      f.thenAccept(finished::add);
      futures.put(n, f);
    }
    List<NodeReport> reports = new ArrayList<>();
    for (int done = 1; done <= futures.size(); done++) {
      NodeReport r;
      try {
        r = finished.take();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        futures.values().forEach(f -> f.cancel(true));
        throw new IllegalStateException("sweep interrupted", e);
      }
      progress.accept(
          SweepUpdate.newBuilder()
              .setNodesTotal(targets.size())
              .setNodesDone(done)
              .setNode(r)
              .build());
    }
    for (String n : targets) {
      reports.add(futures.get(n).join());
    }

    List<CheckResult> cluster =
        wantedCluster.isEmpty() ? List.of() : clusterResults(index, targets, wantedCluster);
    SweepResult result =
        SweepResult.newBuilder()
            .setStartedAt(started.toString())
            .setFinishedAt(Instant.now().toString())
            .addAllNodes(reports)
            .addAllClusterChecks(cluster)
            .build();
    progress.accept(
        SweepUpdate.newBuilder()
            .setNodesTotal(targets.size())
            .setNodesDone(targets.size())
            .setResult(result)
            .build());
    return result;
  }

  /** RunChecks within the node deadline; an agent that fails or is late gives an error report. */
  private NodeReport nodeReport(String node, RunChecksRequest req) {
    CompletableFuture<CheckReport> call =
        CompletableFuture.supplyAsync(() -> agents.runChecks(node, req), calls);
    try {
      CheckReport r = call.get(nodeDeadline.toMillis(), TimeUnit.MILLISECONDS);
      return NodeReport.newBuilder().setNode(node).addAllChecks(r.getResultsList()).build();
    } catch (TimeoutException e) {
      call.cancel(true);
      return unreachable(node, "agent did not answer within " + nodeDeadline.toMillis() + " ms");
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      return unreachable(node, c instanceof AgentException ? c.getMessage() : String.valueOf(c));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return unreachable(node, "interrupted");
    }
  }

  private static NodeReport unreachable(String node, String why) {
    return NodeReport.newBuilder()
        .setNode(node)
        .setError(why)
        .addChecks(
            CheckResult.newBuilder()
                .setId(AGENT_CHECK)
                .setStatus(CheckStatus.CHECK_STATUS_UNREACHABLE)
                .setSummary(why)
                .setRemediation(
                    "Check the podpath agent pod on this node (logs, restarts) and that"
                        + " the aggregator can reach its gRPC port with the right client certificate."))
        .build();
  }

  private List<CheckResult> clusterResults(
      ClusterIndex index, List<String> targets, List<String> wanted) {
    Map<String, ClusterChecks.Answer> infos = new LinkedHashMap<>();
    Map<String, CompletableFuture<io.podpath.proto.v1.NodeInfo>> f = new LinkedHashMap<>();
    for (String n : targets) {
      f.put(n, CompletableFuture.supplyAsync(() -> agents.getNode(n), calls));
    }
    f.forEach(
        (n, fut) -> {
          try {
            infos.put(
                n,
                new ClusterChecks.Answer(
                    Optional.of(fut.get(nodeDeadline.toMillis(), TimeUnit.MILLISECONDS)), ""));
          } catch (TimeoutException | ExecutionException e) {
            infos.put(
                n,
                new ClusterChecks.Answer(
                    Optional.empty(),
                    e instanceof ExecutionException
                        ? String.valueOf(e.getCause().getMessage())
                        : "no answer in time"));
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            infos.put(n, new ClusterChecks.Answer(Optional.empty(), "interrupted"));
          }
        });
    List<CheckResult> out = new ArrayList<>();
    for (String id : wanted) {
      long start = System.nanoTime();
      CheckResult r =
          switch (id) {
            case ClusterChecks.TUNNEL_MESH -> clusterChecks.tunnelMesh(index, infos);
            case ClusterChecks.MTU_CONSISTENCY -> clusterChecks.mtuConsistency(infos);
            default -> clusterChecks.mtuProbe(index, targets, infos);
          };
      out.add(r.toBuilder().setDurationMicros((System.nanoTime() - start) / 1000).build());
    }
    return out;
  }

  @Override
  public void close() {
    workers.shutdownNow();
    calls.shutdownNow();
  }
}
