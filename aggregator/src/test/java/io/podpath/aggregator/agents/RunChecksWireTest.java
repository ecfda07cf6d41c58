package io.podpath.aggregator.agents;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.podpath.aggregator.model.ChecksRequest;
import io.podpath.aggregator.model.ClusterContext;
import io.podpath.aggregator.model.IpProtocol;
import io.podpath.proto.v1.AgentServiceGrpc;
import io.podpath.proto.v1.CheckReport;
import io.podpath.proto.v1.RunChecksRequest;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;

class RunChecksWireTest {
  static ClusterContext.Shared shared(int backends) {
    List<ClusterContext.Backend> b = new ArrayList<>();
    for (int i = 0; i < backends; i++) {
      b.add(
          new ClusterContext.Backend(
              IpProtocol.TCP, 80, "10." + (i >> 8) + "." + (i & 255) + ".3", 8080));
    }
    return new ClusterContext.Shared(
        List.of(
            new ClusterContext.Service(
                "default",
                "web",
                List.of("10.96.0.10"),
                List.of(new ClusterContext.Port(IpProtocol.TCP, 80, 0)),
                b)),
        Optional.of("10.96.0.53"));
  }

  static RunChecksRequest request(ClusterContext.Shared shared, int node) {
    return SweepCalls.request(
        new ChecksRequest(
            List.of("mtu", "service-programming"),
            new ClusterContext(
                shared,
                List.of(
                    new ClusterContext.LocalPod(
                        "default", "web-" + node, List.of("10.1.2." + node))),
                new ClusterContext.PeerSet(100, "ab".repeat(32), "100.64.0." + node)),
            true));
  }

  @Test
  void theSweepsServicesAreEncodedOncePerSweepAndTheAgentParsesTheRequestBuilt() throws Exception {
    ClusterContext.Shared shared = shared(1000);
    long before = RunChecksWire.ENCODINGS.get();
    for (int node = 1; node <= 100; node++) {
      RunChecksRequest r = request(shared, node);
      assertThat(RunChecksRequest.parseFrom(RunChecksWire.encode(r))).isEqualTo(r);
    }
    assertThat(RunChecksWire.ENCODINGS.get() - before).isEqualTo(1);
    // the next sweep's Services are new: encoded again, once
    ClusterContext.Shared next = shared(10);
    for (int node = 1; node <= 10; node++) {
      RunChecksRequest r = request(next, node);
      assertThat(RunChecksRequest.parseFrom(RunChecksWire.encode(r))).isEqualTo(r);
    }
    assertThat(RunChecksWire.ENCODINGS.get() - before).isEqualTo(2);
  }

  @Test
  void anAgentReceivesTheRequestAsBuilt() throws Exception {
    ConcurrentLinkedQueue<RunChecksRequest> received = new ConcurrentLinkedQueue<>();
    Server server =
        NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
            .addService(
                new AgentServiceGrpc.AgentServiceImplBase() {
                  @Override
                  public void runChecks(RunChecksRequest request, StreamObserver<CheckReport> out) {
                    received.add(request);
                    out.onNext(CheckReport.getDefaultInstance());
                    out.onCompleted();
                  }
                })
            .build()
            .start();
    try (GrpcAgentClient client =
        new GrpcAgentClient(
            new StaticAgentDirectory(
                List.of(new AgentAddress("node1", "127.0.0.1", server.getPort()))),
            AgentCredentials.plaintext(),
            Duration.ofMinutes(1),
            new SimpleMeterRegistry())) {
      ClusterContext.Shared shared = shared(50);
      RunChecksRequest first = request(shared, 1);
      RunChecksRequest second = request(shared, 2);
      client.runChecks("node1", first);
      client.runChecks("node1", second);
      assertThat(received).containsExactly(first, second);
    } finally {
      server.shutdownNow();
    }
  }
}
