package io.podpath.aggregator.agents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Context;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.podpath.aggregator.inventory.ManifestReader;
import io.podpath.aggregator.inventory.SnapshotInventory;
import io.podpath.aggregator.model.CallScope;
import io.podpath.aggregator.model.IpProtocol;
import io.podpath.aggregator.model.NodeAnswer;
import io.podpath.aggregator.model.NodeQuery;
import io.podpath.aggregator.model.TracedPacket;
import io.podpath.proto.v1.AgentServiceGrpc;
import io.podpath.proto.v1.GetNodeRequest;
import io.podpath.proto.v1.NodeInfo;
import io.podpath.proto.v1.NodeTrace;
import io.podpath.proto.v1.TraceNodeRequest;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class AgentsTest {
  static final NodeQuery QUERY =
      new NodeQuery(
          new NodeQuery.FromPod("default", "client-1"),
          TracedPacket.of(
              "10.244.1.3", "10.244.2.3", IpProtocol.TCP, 40000, 80, OptionalInt.empty()),
          false,
          false,
          false);

  @Test
  void staticAgentsAreValidated() {
    assertThat(AgentAddress.parse("node1=172.31.0.11:9443"))
        .isEqualTo(new AgentAddress("node1", "172.31.0.11", 9443));
    assertThat(AgentAddress.parse("n=[fd00::1]:9443").target()).isEqualTo("[fd00::1]:9443");
    assertThat(AgentAddress.parse("node-a.example=agent.example:1").host())
        .isEqualTo("agent.example");
    assertThatThrownBy(() -> AgentAddress.parse("node1"))
        .hasMessageContaining("expected NODE=HOST:PORT");
    assertThatThrownBy(() -> AgentAddress.parse("node1=h:0"))
        .hasMessageContaining("not in 1-65535");
    assertThatThrownBy(() -> AgentAddress.parse("node1=h:x")).hasMessageContaining("not a number");
    assertThatThrownBy(() -> AgentAddress.parse("Node_1=h:1")).hasMessageContaining("DNS-1123");
    assertThatThrownBy(() -> AgentAddress.parse("n=fd00::1:9443")).hasMessageContaining("brackets");
    assertThatThrownBy(() -> StaticAgentDirectory.parse(List.of("n=a:1", "n=b:2")))
        .hasMessageContaining("more than one agent");
  }

  @Test
  void agentsAreFoundFromTheirPods() {
    String yaml =
        """
        kind: List
        items:
        - kind: Pod
          metadata: {name: agent-a, namespace: podpath, labels: {app.kubernetes.io/name: podpath-agent}}
          spec: {nodeName: node1, hostNetwork: true}
          status: {phase: Running, hostIP: 172.31.0.11, podIP: 172.31.0.11}
        - kind: Pod
          metadata: {name: agent-b, namespace: podpath, labels: {app.kubernetes.io/name: podpath-agent}}
          spec: {nodeName: node2, hostNetwork: true}
          status: {phase: Pending, hostIP: 172.31.0.12}
        - kind: Pod
          metadata: {name: other, namespace: podpath, labels: {app: x}}
          spec: {nodeName: node2}
          status: {phase: Running, hostIP: 172.31.0.12, podIP: 10.0.0.1}
        """;
    var dir =
        new DiscoveredAgentDirectory(
            new SnapshotInventory(ManifestReader.parse(yaml), "t"),
            "podpath",
            DiscoveredAgentDirectory.parseSelector("app.kubernetes.io/name=podpath-agent"),
            9443);
    assertThat(dir.all()).containsExactly(new AgentAddress("node1", "172.31.0.11", 9443));
    assertThat(dir.lookup("node2")).isEmpty();
  }

  @Test
  void everyCallHasADeadlineAndFailuresAreTyped() throws Exception {
    Server server =
        NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
            .addService(
                new AgentServiceGrpc.AgentServiceImplBase() {
                  @Override
                  public void getNode(GetNodeRequest request, StreamObserver<NodeInfo> out) {
                    out.onNext(NodeInfo.newBuilder().setNodeName("node1").build());
                    out.onCompleted();
                  }

                  @Override
                  public void traceNode(TraceNodeRequest request, StreamObserver<NodeTrace> out) {
                    try {
                      Thread.sleep(2000);
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                    }
                    out.onNext(NodeTrace.getDefaultInstance());
                    out.onCompleted();
                  }
                })
            .build()
            .start();
    var dir =
        new StaticAgentDirectory(
            List.of(
                new AgentAddress("node1", "127.0.0.1", server.getPort()),
                new AgentAddress("node2", "127.0.0.1", 1)));
    // A patient client for the calls that must answer, a hasty one for the deadline: the
    // hasty one times out whether its connection is already up or not.
    try (GrpcAgentClient client =
            new GrpcAgentClient(
                dir,
                AgentCredentials.plaintext(),
                Duration.ofSeconds(20),
                new SimpleMeterRegistry());
        GrpcAgentClient hasty =
            new GrpcAgentClient(
                dir,
                AgentCredentials.plaintext(),
                Duration.ofMillis(300),
                new SimpleMeterRegistry())) {
      assertThat(client.getNode("node1").getNodeName()).isEqualTo("node1");
      assertThatThrownBy(() -> hasty.traceNode("node1", QUERY, CallScope.unbounded()))
          .isInstanceOfSatisfying(
              AgentException.class,
              e -> assertThat(e.kind()).isEqualTo(AgentException.Kind.TIMEOUT));
      assertThatThrownBy(() -> client.getNode("node2"))
          .isInstanceOfSatisfying(
              AgentException.class,
              e -> assertThat(e.kind()).isEqualTo(AgentException.Kind.UNREACHABLE))
          .hasMessageContaining("agent on node2 (127.0.0.1:1) GetNode: cannot be reached")
          .hasMessageContaining("check that the podpath agent pod on node2 is running")
          .hasMessageNotContaining("UNAVAILABLE");
      assertThatThrownBy(() -> client.getNode("node9"))
          .isInstanceOfSatisfying(
              AgentException.class,
              e -> assertThat(e.kind()).isEqualTo(AgentException.Kind.NO_AGENT));
    } finally {
      server.shutdownNow();
    }
    assertThat(Map.of()).isEmpty();
  }

  @Test
  void cancellingTheScopeCancelsTheCallOnTheAgent() throws Exception {
    CountDownLatch called = new CountDownLatch(1);
    CountDownLatch agentSawCancel = new CountDownLatch(1);
    Server server =
        NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
            .addService(
                new AgentServiceGrpc.AgentServiceImplBase() {
                  @Override
                  public void traceNode(TraceNodeRequest request, StreamObserver<NodeTrace> out) {
                    Context.current().addListener(c -> agentSawCancel.countDown(), Runnable::run);
                    called.countDown();
                  }
                })
            .build()
            .start();
    CallScope scope = CallScope.unbounded();
    try (GrpcAgentClient client =
        new GrpcAgentClient(
            new StaticAgentDirectory(
                List.of(new AgentAddress("node1", "127.0.0.1", server.getPort()))),
            AgentCredentials.plaintext(),
            Duration.ofMinutes(5),
            new SimpleMeterRegistry())) {
      CompletableFuture<NodeAnswer> call =
          CompletableFuture.supplyAsync(() -> client.traceNode("node1", QUERY, scope));
      assertThat(called.await(60, TimeUnit.SECONDS)).isTrue();
      scope.cancel("the caller cancelled");
      assertThat(agentSawCancel.await(60, TimeUnit.SECONDS))
          .as("agent saw the cancellation")
          .isTrue();
      assertThatThrownBy(call::join)
          .hasCauseInstanceOf(AgentException.class)
          .cause()
          .satisfies(
              e ->
                  assertThat(((AgentException) e).kind()).isEqualTo(AgentException.Kind.CANCELLED));
      // a cancelled scope starts no new call
      assertThatThrownBy(() -> client.traceNode("node1", QUERY, scope))
          .isInstanceOfSatisfying(
              AgentException.class,
              e -> assertThat(e.kind()).isEqualTo(AgentException.Kind.CANCELLED));
    } finally {
      server.shutdownNow();
    }
  }
}
