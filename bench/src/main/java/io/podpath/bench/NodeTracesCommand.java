package io.podpath.bench;

import io.grpc.ManagedChannel;
import io.podpath.proto.v1.AgentServiceGrpc;
import io.podpath.proto.v1.NodeTrace;
import io.podpath.proto.v1.Packet;
import io.podpath.proto.v1.PodRef;
import io.podpath.proto.v1.Protocol;
import io.podpath.proto.v1.TraceNodeRequest;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * B4: {@code --count} TraceNode calls on one agent (a TCP packet from a local pod to a remote pod,
 * the first hop of a cross-node trace), one after the other; prints count and median latency.
 */
@Command(name = "node-traces", description = "Run N TraceNode calls on one agent")
public final class NodeTracesCommand implements Callable<Integer> {
  @Option(names = "--agent", required = true, paramLabel = "HOST:PORT")
  String agent;

  @picocli.CommandLine.Mixin TlsOptions tls;

  @Option(names = "--pod", required = true, paramLabel = "NS/POD")
  String pod;

  @Option(names = "--src-ip", required = true)
  String srcIp;

  @Option(names = "--dst-ip", required = true)
  String dstIp;

  @Option(names = "--count", defaultValue = "1000")
  int count;

  @Override
  public Integer call() {
    PodRef ref = TraceLoopCommand.pod(pod).getPod();
    TraceNodeRequest req =
        TraceNodeRequest.newBuilder()
            .setPod(ref)
            .setPacket(
                Packet.newBuilder()
                    .setSrcIp(srcIp)
                    .setDstIp(dstIp)
                    .setProtocol(Protocol.PROTOCOL_TCP)
                    .setSrcPort(40000)
                    .setDstPort(80))
            .build();
    ManagedChannel ch = Channels.agent(agent, tls.client());
    try {
      AgentServiceGrpc.AgentServiceBlockingStub stub = AgentServiceGrpc.newBlockingStub(ch);
      java.util.List<Double> ms = new java.util.ArrayList<>();
      String outcome = "";
      for (int i = 0; i < count; i++) {
        long t0 = System.nanoTime();
        NodeTrace t = stub.withDeadlineAfter(30, TimeUnit.SECONDS).traceNode(req);
        ms.add((System.nanoTime() - t0) / 1e6);
        outcome = t.getOutcome().getKind().name();
      }
      Stats s = Stats.of(ms);
      System.out.printf(
          Locale.ROOT, "%d traces, median %.2f ms, last outcome %s%n", s.n(), s.median(), outcome);
    } finally {
      Channels.close(ch);
    }
    return 0;
  }
}
