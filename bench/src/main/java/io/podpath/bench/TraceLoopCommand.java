package io.podpath.bench;

import io.grpc.ManagedChannel;
import io.podpath.proto.v1.AggregatorServiceGrpc;
import io.podpath.proto.v1.Endpoint;
import io.podpath.proto.v1.EndpointTrace;
import io.podpath.proto.v1.PodRef;
import io.podpath.proto.v1.Protocol;
import io.podpath.proto.v1.TraceRequest;
import io.podpath.proto.v1.TraceResult;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * B1's podpath side: a warm gRPC client of the aggregator. After {@code --warmup} traces it reads
 * stdin; for each line it runs one trace and prints "micros,forward_verdict,reply_verdict", so the
 * driver can alternate it with the bare ovs-appctl commands it times itself.
 */
@Command(name = "trace-loop", description = "Warm aggregator trace client driven by stdin")
public final class TraceLoopCommand implements Callable<Integer> {
  @Option(names = "--aggregator", required = true, paramLabel = "HOST:PORT")
  String aggregator;

  @Option(names = "--src", required = true, paramLabel = "NS/POD")
  String src;

  @Option(names = "--dst", required = true, paramLabel = "NS/POD")
  String dst;

  @Option(names = "--dst-port", defaultValue = "80")
  int dstPort;

  @Option(names = "--warmup", defaultValue = "20")
  int warmup;

  @Override
  public Integer call() throws IOException {
    TraceRequest req =
        TraceRequest.newBuilder()
            .setSource(pod(src))
            .setDestination(pod(dst))
            .setProtocol(Protocol.PROTOCOL_TCP)
            .setDstPort(dstPort)
            .build();
    ManagedChannel ch = Channels.aggregator(aggregator);
    try {
      AggregatorServiceGrpc.AggregatorServiceBlockingStub stub =
          AggregatorServiceGrpc.newBlockingStub(ch);
      for (int i = 0; i < warmup; i++) {
        stub.withDeadlineAfter(30, TimeUnit.SECONDS).trace(req);
      }
      System.out.println("ready");
      System.out.flush();
      BufferedReader in =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      while (in.readLine() != null) {
        long t0 = System.nanoTime();
        TraceResult r = stub.withDeadlineAfter(30, TimeUnit.SECONDS).trace(req);
        long micros = (System.nanoTime() - t0) / 1000;
        EndpointTrace e = r.getEndpoints(0);
        System.out.printf(
            Locale.ROOT,
            "%d,%s,%s%n",
            micros,
            e.getForward().getVerdict().name(),
            e.getReply().getVerdict().name());
        System.out.flush();
      }
    } finally {
      Channels.close(ch);
    }
    return 0;
  }

  static Endpoint pod(String nsName) {
    int slash = nsName.indexOf('/');
    if (slash <= 0) {
      throw new IllegalArgumentException("expected NS/POD, got " + nsName);
    }
    return Endpoint.newBuilder()
        .setPod(
            PodRef.newBuilder()
                .setNamespace(nsName.substring(0, slash))
                .setName(nsName.substring(slash + 1)))
        .build();
  }
}
