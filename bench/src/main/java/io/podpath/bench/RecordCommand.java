package io.podpath.bench;

import io.grpc.ManagedChannel;
import io.podpath.proto.v1.AgentServiceGrpc;
import io.podpath.proto.v1.CheckReport;
import io.podpath.proto.v1.CheckResult;
import io.podpath.proto.v1.GetNodeRequest;
import io.podpath.proto.v1.NodeInfo;
import io.podpath.proto.v1.ProbeRequest;
import io.podpath.proto.v1.ProbeResult;
import io.podpath.proto.v1.RunChecksRequest;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * B5 and the fleet fixtures: calls a real agent's RunChecks, GetNode and Probe, timing each call
 * (wall clock here, CPU from the agent's /proc/PID/stat before and after), and writes the last
 * replies as fixtures for the fleet simulator.
 */
@Command(
    name = "record",
    description = "Time RunChecks/GetNode/Probe on a real agent; save replies")
public final class RecordCommand implements Callable<Integer> {
  @Option(names = "--agent", required = true, paramLabel = "HOST:PORT")
  String agent;

  @Mixin TlsOptions tls;

  @Option(names = "--pid", required = true, description = "The agent's pid (for CPU time)")
  long pid;

  @Option(names = "--clk-tck", defaultValue = "100", description = "getconf CLK_TCK")
  long clkTck;

  @Option(names = "--request", required = true, description = "RunChecksRequest (proto3 JSON)")
  Path request;

  @Option(names = "--probe", description = "ProbeRequest (proto3 JSON); none = skip Probe")
  Path probe;

  @Option(names = "--runs", defaultValue = "10")
  int runs;

  @Option(names = "--warmup", defaultValue = "1")
  int warmup;

  @Option(names = "--fixtures", description = "Where to write the replies; none = do not write")
  Path fixtures;

  @Option(names = "--csv", required = true, description = "rpc,run,wall_ms,cpu_ms")
  Path csv;

  @Option(names = "--checks-csv", description = "check,status,duration_ms of every RunChecks run")
  Path checksCsv;

  @Override
  public Integer call() throws IOException {
    RunChecksRequest req = Fixtures.read(request, RunChecksRequest.newBuilder()).build();
    ManagedChannel ch = Channels.agent(agent, tls.client());
    try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(csv));
        PrintWriter checks =
            checksCsv == null ? null : new PrintWriter(Files.newBufferedWriter(checksCsv))) {
      out.println("rpc,run,wall_ms,cpu_ms");
      if (checks != null) {
        checks.println("run,check,status,duration_ms");
      }
      AgentServiceGrpc.AgentServiceBlockingStub stub = AgentServiceGrpc.newBlockingStub(ch);
      CheckReport report = null;
      for (int i = -warmup; i < runs; i++) {
        CheckReport r = timed(out, "RunChecks", i, () -> deadline(stub, 60).runChecks(req));
        if (i >= 0 && checks != null) {
          for (CheckResult c : r.getResultsList()) {
            checks.printf(
                Locale.ROOT,
                "%d,%s,%s,%.3f%n",
                i,
                c.getId(),
                c.getStatus().name(),
                c.getDurationMicros() / 1000.0);
          }
        }
        report = r;
      }
      NodeInfo info = null;
      for (int i = -warmup; i < runs; i++) {
        info =
            timed(
                out,
                "GetNode",
                i,
                () -> deadline(stub, 30).getNode(GetNodeRequest.getDefaultInstance()));
      }
      ProbeResult probed = null;
      if (probe != null) {
        ProbeRequest preq = Fixtures.read(probe, ProbeRequest.newBuilder()).build();
        for (int i = -warmup; i < runs; i++) {
          probed = timed(out, "Probe", i, () -> deadline(stub, 30).probe(preq));
        }
      }
      if (fixtures != null) {
        Fixtures.write(fixtures.resolve(Fixtures.RUN_CHECKS), report);
        Fixtures.write(fixtures.resolve(Fixtures.GET_NODE), info);
        if (probed != null) {
          Fixtures.write(fixtures.resolve(Fixtures.PROBE), probed);
        }
      }
    } finally {
      Channels.close(ch);
    }
    return 0;
  }

  private static AgentServiceGrpc.AgentServiceBlockingStub deadline(
      AgentServiceGrpc.AgentServiceBlockingStub s, int seconds) {
    return s.withDeadlineAfter(seconds, TimeUnit.SECONDS);
  }

  /** Runs one call; rows of warm-up runs (negative index) are not written. */
  private <T> T timed(PrintWriter out, String rpc, int run, Supplier<T> call) {
    long cpu0 = ProcStat.of(pid).cpuTicks();
    long t0 = System.nanoTime();
    T r = call.get();
    long wall = System.nanoTime() - t0;
    long cpu1 = ProcStat.of(pid).cpuTicks();
    if (run >= 0) {
      out.printf(
          Locale.ROOT, "%s,%d,%.3f,%.1f%n", rpc, run, wall / 1e6, (cpu1 - cpu0) * 1000.0 / clkTck);
      out.flush();
    }
    return r;
  }
}
