package io.podpath.aggregator.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.StatusRuntimeException;
import io.podpath.aggregator.testing.SandboxAggregator;
import io.podpath.proto.v1.Endpoint;
import io.podpath.proto.v1.PodRef;
import io.podpath.proto.v1.Protocol;
import io.podpath.proto.v1.SweepRequest;
import io.podpath.proto.v1.SweepUpdate;
import io.podpath.proto.v1.TraceRequest;
import io.podpath.proto.v1.TraceResult;
import io.podpath.testkit.Node;
import io.podpath.testkit.Pod;
import io.podpath.testkit.Sandbox;
import io.podpath.testkit.SandboxConfig;
import io.podpath.testkit.SandboxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Load through the aggregator (wired as serve wires it, in this JVM: see SandboxAggregator) and the
 * real agent processes of a 3-node sandbox (prefix rl, index 7; shared with FaultsSandboxTest, so
 * pod client-3 is never used): 100 concurrent traces plus a sweep. Zero errors; every agent's RSS
 * (VmRSS of the agent processes, by their pidfiles) within the chart's memory limit; p50/p99
 * latency printed and written to target/reliability-load.txt (reported, not asserted).
 */
@ExtendWith(SandboxExtension.class)
@SandboxConfig(prefix = "rl", index = 7, nodes = 3, apps = true)
class LoadSandboxTest {
  /** charts/podpath/values.yaml: agent resources.limits.memory. */
  static final long AGENT_BUDGET_KIB = 192 * 1024;

  static final int TRACES = 100;

  @Test
  void hundredConcurrentTracesAndASweepWithoutErrorsWithinMemory(Sandbox sandbox) throws Exception {
    List<Pod> pods = sandbox.pods().stream().filter(p -> !p.name().equals("client-3")).toList();
    SandboxAggregator aggregator = SandboxAggregator.startWithAlerting(sandbox);
    var stub = aggregator.stub();
    Map<String, Long> rssBefore = agentRss(sandbox);
    ExecutorService pool = Executors.newFixedThreadPool(TRACES + 1);
    CountDownLatch go = new CountDownLatch(1);
    List<Long> micros = Collections.synchronizedList(new ArrayList<>());
    List<String> errors = new CopyOnWriteArrayList<>();
    Map<String, Integer> verdicts = new ConcurrentHashMap<>();
    Map<String, Integer> reasons = new ConcurrentHashMap<>();
    Map<String, Long> rssPeak = new ConcurrentHashMap<>(rssBefore);
    try {
      List<Future<?>> all = new ArrayList<>();
      all.add(
          pool.submit(
              () -> {
                go.await();
                long t0 = System.nanoTime();
                try {
                  var it =
                      stub.withDeadlineAfter(180, TimeUnit.SECONDS)
                          .sweep(SweepRequest.getDefaultInstance());
                  SweepUpdate last = null;
                  while (it.hasNext()) {
                    last = it.next();
                  }
                  assertThat(last).isNotNull();
                  System.out.printf(
                      "load: sweep took %d ms%n", (System.nanoTime() - t0) / 1_000_000);
                } catch (StatusRuntimeException e) {
                  errors.add("sweep: " + e.getStatus());
                }
                return null;
              }));
      for (int i = 0; i < TRACES; i++) {
        Pod src = pods.get(i % pods.size());
        Pod dst = pods.get((i * 7 + 3) % pods.size());
        if (dst.equals(src)) {
          dst = pods.get((i * 7 + 4) % pods.size());
        }
        TraceRequest req =
            TraceRequest.newBuilder()
                .setSource(endpoint(src))
                .setDestination(endpoint(dst))
                .setProtocol(i % 3 == 2 ? Protocol.PROTOCOL_UDP : Protocol.PROTOCOL_TCP)
                .setDstPort(i % 3 == 2 ? 53 : 80)
                .build();
        String what = src.ref() + " -> " + dst.ref();
        all.add(
            pool.submit(
                () -> {
                  go.await();
                  long t0 = System.nanoTime();
                  try {
                    TraceResult r = stub.withDeadlineAfter(120, TimeUnit.SECONDS).trace(req);
                    micros.add((System.nanoTime() - t0) / 1000);
                    r.getEndpointsList().stream()
                        .filter(e -> !e.getForward().getReason().isEmpty())
                        .forEach(
                            e ->
                                reasons.merge(
                                    e.getForward().getReason().replaceAll("[0-9.:]+", "N"),
                                    1,
                                    Integer::sum));
                    r.getEndpointsList()
                        .forEach(
                            e ->
                                verdicts.merge(
                                    e.getForward().getVerdict().name(), 1, Integer::sum));
                  } catch (StatusRuntimeException e) {
                    errors.add(what + ": " + e.getStatus());
                  }
                  return null;
                }));
      }
      go.countDown();
      while (all.stream().anyMatch(f -> !f.isDone())) {
        agentRss(sandbox).forEach((k, v) -> rssPeak.merge(k, v, Math::max));
        Thread.sleep(250);
      }
      for (Future<?> f : all) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
      aggregator.close();
    }
    Map<String, Long> rssAfter = agentRss(sandbox);
    List<Long> sorted = new ArrayList<>(micros);
    Collections.sort(sorted);
    String report =
        String.format(
            "traces=%d errors=%d p50=%.1f ms p99=%.1f ms max=%.1f ms verdicts=%s%n"
                + "agent VmRSS KiB before=%s peak=%s after=%s (budget %d KiB)%n"
                + "INCONCLUSIVE reasons (forward): %s%n",
            sorted.size(),
            errors.size(),
            pct(sorted, 50) / 1000.0,
            pct(sorted, 99) / 1000.0,
            sorted.isEmpty() ? 0 : sorted.get(sorted.size() - 1) / 1000.0,
            new TreeMap<>(verdicts),
            new TreeMap<>(rssBefore),
            new TreeMap<>(rssPeak),
            new TreeMap<>(rssAfter),
            AGENT_BUDGET_KIB,
            new TreeMap<>(reasons));
    System.out.print("load: " + report);
    Files.writeString(Path.of("target/reliability-load.txt"), report);
    assertThat(errors).as("errors under load").isEmpty();
    assertThat(sorted).hasSize(TRACES);
    assertThat(reasons.keySet())
        .as("verdicts left INCONCLUSIVE because an agent was too busy")
        .noneMatch(r -> r.contains("RESOURCE_EXHAUSTED"));
    assertThat(rssPeak.values())
        .allSatisfy(v -> assertThat(v).isLessThanOrEqualTo(AGENT_BUDGET_KIB));
  }

  static Endpoint endpoint(Pod p) {
    return Endpoint.newBuilder()
        .setPod(PodRef.newBuilder().setNamespace(p.namespace()).setName(p.name()))
        .build();
  }

  static long pct(List<Long> sorted, int p) {
    if (sorted.isEmpty()) {
      return 0;
    }
    int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
  }

  /** VmRSS (KiB) of each node's agent process, read through the sandbox's pidfiles. */
  static Map<String, Long> agentRss(Sandbox sandbox) {
    Map<String, Long> out = new TreeMap<>();
    for (Node n : sandbox.nodes()) {
      try {
        String pid =
            Files.readString(sandbox.stateDir().resolve("apps/agent-" + n.name() + ".pid")).trim();
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
          if (line.startsWith("VmRSS:")) {
            out.put(n.name(), Long.parseLong(line.replaceAll("[^0-9]", "")));
          }
        }
      } catch (java.io.IOException | NumberFormatException e) {
        out.put(n.name(), -1L); // agent not running at this instant
      }
    }
    return out;
  }
}
