package io.podpath.aggregator.cli;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.podpath.proto.v1.AggregatorServiceGrpc;
import io.podpath.proto.v1.DirectionTrace;
import io.podpath.proto.v1.EndpointTrace;
import io.podpath.proto.v1.NodeObservation;
import io.podpath.proto.v1.NodeTrace;
import io.podpath.proto.v1.OvnLogicalFlow;
import io.podpath.proto.v1.TableStep;
import io.podpath.proto.v1.TraceRequest;
import io.podpath.proto.v1.TraceResult;
import io.podpath.proto.v1.Verdict;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The training run of the CLI's class-data archive, made at build time (aggregator/pom.xml): runs
 * {@code podpath trace} in text and JSON against an aggregator stand-in on loopback, so that the
 * classes a real trace loads (picocli, the gRPC client and its Netty, protobuf, the renderer) are
 * the ones archived. Not a user command; exits non-zero when the run did not trace.
 */
public final class CdsTraining {
  private CdsTraining() {}

  public static void main(String[] args) throws Exception {
    Server server =
        NettyServerBuilder.forAddress(
                new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), 0))
            .addService(new StandIn())
            .build()
            .start();
    int failed = 0;
    PrintStream stdout = System.out;
    PrintStream stderr = System.err;
    try (PrintStream sink = new PrintStream(OutputStream.nullOutputStream(), false, UTF_8)) {
      // The real entry point, as bin/podpath runs it, with its output discarded.
      System.setOut(sink);
      System.setErr(sink);
      String address = "127.0.0.1:" + server.getPort();
      for (String format : new String[] {"text", "json"}) {
        String[] run = {
          "trace",
          "--aggregator",
          address,
          "default/client",
          "default/web",
          "--dst-port",
          "80",
          "-o",
          format
        };
        if (PodpathCli.run(run) != ExitCodes.OK) {
          failed++;
        }
      }
    } finally {
      System.setOut(stdout);
      System.setErr(stderr);
      server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    if (failed > 0) {
      System.err.println("podpath CDS training: " + failed + " trace run(s) failed");
      System.exit(1);
    }
  }

  /** Answers every trace with one delivered endpoint, a node and two OpenFlow steps each way. */
  private static final class StandIn extends AggregatorServiceGrpc.AggregatorServiceImplBase {
    @Override
    public void trace(TraceRequest request, StreamObserver<TraceResult> reply) {
      reply.onNext(
          TraceResult.newBuilder()
              .setSource("default/client")
              .setDestination("default/web")
              .addEndpoints(
                  EndpointTrace.newBuilder()
                      .setEndpoint("default/web 10.0.0.2:80")
                      .setIp("10.0.0.2")
                      .setPort(80)
                      .setForward(direction("node1"))
                      .setReply(direction("node1")))
              .build());
      reply.onCompleted();
    }

    private static DirectionTrace direction(String node) {
      TableStep.Builder step =
          TableStep.newBuilder()
              .setCookie("0x1")
              .setMatch("ip")
              .setActions("resubmit(,1)")
              .setLogicalFlow(
                  OvnLogicalFlow.newBuilder()
                      .setPipeline("ingress")
                      .setStage("ls_in_port_sec_l2")
                      .setMatch("inport == \"p\"")
                      .setActions("next;"));
      return DirectionTrace.newBuilder()
          .setVerdict(Verdict.VERDICT_DELIVERED)
          .setSummary("delivered")
          .addNodes(
              NodeObservation.newBuilder()
                  .setNode(node)
                  .setRole(NodeObservation.Role.ROLE_SOURCE_AND_DESTINATION)
                  .setTrace(
                      NodeTrace.newBuilder()
                          .setNode(node)
                          .setBridge("br-int")
                          .setFlow("in_port=1,ip")
                          .addSteps(step)
                          .addSteps(step.setTable(1))
                          .setDatapathActions("2")))
          .build();
    }
  }
}
