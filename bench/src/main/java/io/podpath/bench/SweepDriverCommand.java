package io.podpath.bench;

import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.podpath.proto.v1.AggregatorServiceGrpc;
import io.podpath.proto.v1.NodeReport;
import io.podpath.proto.v1.SweepRequest;
import io.podpath.proto.v1.SweepResult;
import io.podpath.proto.v1.SweepUpdate;
import java.util.Iterator;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * B3: asks the aggregator for one sweep (its Sweep RPC, the same SweepRunner the periodic sweeps
 * use) and prints one CSV row: total wall time, the time until the last node answered, the cluster
 * checks after that, and how many nodes answered. A sweep past {@code --timeout-s} is cancelled and
 * reported as incomplete with its progress.
 */
@Command(name = "sweep", description = "Time one aggregator sweep; print a CSV row")
public final class SweepDriverCommand implements Callable<Integer> {
  @Option(names = "--aggregator", required = true, paramLabel = "HOST:PORT")
  String aggregator;

  @Option(names = "--timeout-s", defaultValue = "600")
  int timeoutSeconds;

  @Option(names = "--header", description = "Print the CSV header first")
  boolean header;

  @Override
  public Integer call() {
    if (header) {
      System.out.println(
          "complete,nodes_total,nodes_done,node_errors,wall_ms,nodes_phase_ms,cluster_phase_ms,"
              + "first_node_ms,error");
    }
    ManagedChannel ch = Channels.aggregator(aggregator);
    int total = 0;
    int done = 0;
    int errors = 0;
    long t0 = System.nanoTime();
    long first = -1;
    long lastNode = -1;
    SweepResult result = null;
    String error = "";
    try (Context.CancellableContext ctx = Context.current().withCancellation()) {
      Context prev = ctx.attach();
      try {
        Iterator<SweepUpdate> it =
            AggregatorServiceGrpc.newBlockingStub(ch)
                .withDeadlineAfter(timeoutSeconds, TimeUnit.SECONDS)
                .sweep(SweepRequest.getDefaultInstance());
        while (it.hasNext()) {
          SweepUpdate u = it.next();
          total = u.getNodesTotal();
          if (u.hasNode()) {
            NodeReport n = u.getNode();
            done = u.getNodesDone();
            errors += n.getError().isEmpty() ? 0 : 1;
            lastNode = System.nanoTime();
            if (first < 0) {
              first = lastNode;
            }
          }
          if (u.hasResult()) {
            result = u.getResult();
          }
        }
      } catch (StatusRuntimeException e) {
        String why = String.valueOf(e.getStatus().getDescription());
        error = e.getStatus().getCode() + " " + why.substring(0, Math.min(60, why.length()));
      } finally {
        ctx.detach(prev);
      }
    } finally {
      Channels.close(ch);
    }
    long end = System.nanoTime();
    boolean complete = result != null;
    System.out.printf(
        Locale.ROOT,
        "%s,%d,%d,%d,%.1f,%.1f,%.1f,%.1f,%s%n",
        complete,
        total,
        done,
        errors,
        (end - t0) / 1e6,
        lastNode < 0 ? -1.0 : (lastNode - t0) / 1e6,
        complete && lastNode >= 0 ? (end - lastNode) / 1e6 : -1.0,
        first < 0 ? -1.0 : (first - t0) / 1e6,
        error.replace(',', ';').replace('\n', ' '));
    return complete ? 0 : 1;
  }
}
