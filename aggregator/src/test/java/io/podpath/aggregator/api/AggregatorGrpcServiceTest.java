package io.podpath.aggregator.api;

import static io.podpath.aggregator.trace.FakeAgents.toPod;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.podpath.aggregator.api.live.LiveGate;
import io.podpath.aggregator.inventory.Inventory;
import io.podpath.aggregator.trace.FakeAgents;
import io.podpath.aggregator.trace.TracePlannerTest;
import io.podpath.proto.v1.AggregatorServiceGrpc;
import io.podpath.proto.v1.Endpoint;
import io.podpath.proto.v1.InspectRequest;
import io.podpath.proto.v1.PodInspection;
import io.podpath.proto.v1.PodRef;
import io.podpath.proto.v1.Protocol;
import io.podpath.proto.v1.StatusRequest;
import io.podpath.proto.v1.TraceRequest;
import io.podpath.proto.v1.TraceResult;
import io.podpath.proto.v1.Verdict;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AggregatorGrpcServiceTest {
  private @Nullable Server server;
  private @Nullable ManagedChannel channel;

  AggregatorServiceGrpc.AggregatorServiceBlockingStub start(Inventory inventory, FakeAgents agents)
      throws Exception {
    return start(new AggregatorGrpcService(inventory, agents, new SimpleMeterRegistry()));
  }

  AggregatorServiceGrpc.AggregatorServiceBlockingStub start(AggregatorGrpcService service)
      throws Exception {
    String name = InProcessServerBuilder.generateName();
    server =
        InProcessServerBuilder.forName(name).directExecutor().addService(service).build().start();
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    return AggregatorServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() {
    if (channel != null) {
      channel.shutdownNow();
    }
    if (server != null) {
      server.shutdownNow();
    }
  }

  static Endpoint pod(String ns, String name) {
    return Endpoint.newBuilder().setPod(PodRef.newBuilder().setNamespace(ns).setName(name)).build();
  }

  @Test
  void traceAnswersWithBothDirections() throws Exception {
    var stub =
        start(
            TracePlannerTest.inventory(),
            new FakeAgents()
                .on(
                    "node1",
                    r ->
                        r.getPod().getName().equals("client-1")
                            ? toPod("default", "web-1")
                            : toPod("default", "client-1")));

    TraceResult r =
        stub.trace(
            TraceRequest.newBuilder()
                .setSource(pod("default", "client-1"))
                .setDestination(pod("default", "web-1"))
                .setProtocol(Protocol.PROTOCOL_TCP)
                .setDstPort(80)
                .build());

    assertThat(r.getEndpointsCount()).isEqualTo(1);
    assertThat(r.getEndpoints(0).getForward().getVerdict()).isEqualTo(Verdict.VERDICT_DELIVERED);
    assertThat(r.getEndpoints(0).getReply().getVerdict()).isEqualTo(Verdict.VERDICT_DELIVERED);
    assertThat(r.getEndpoints(0).getForward().getNodes(0).getNode()).isEqualTo("node1");
  }

  @Test
  void invalidRequestsNameTheField() throws Exception {
    var stub = start(TracePlannerTest.inventory(), new FakeAgents());
    TraceRequest ok =
        TraceRequest.newBuilder()
            .setSource(pod("default", "client-1"))
            .setDestination(pod("default", "web-1"))
            .setProtocol(Protocol.PROTOCOL_TCP)
            .setDstPort(80)
            .build();

    assertStatus(
        () -> stub.trace(ok.toBuilder().clearSource().build()),
        Status.Code.INVALID_ARGUMENT,
        "source: required");
    assertStatus(
        () -> stub.trace(ok.toBuilder().setDestination(pod("Bad_NS", "x")).build()),
        Status.Code.INVALID_ARGUMENT,
        "destination.pod.namespace: 'Bad_NS' is not a DNS-1123 label");
    assertStatus(
        () -> stub.trace(ok.toBuilder().setDstPort(70000).build()),
        Status.Code.INVALID_ARGUMENT,
        "dst_port: 70000 is not in 0-65535");
    assertStatus(
        () -> stub.trace(ok.toBuilder().setProtocol(Protocol.PROTOCOL_UNSPECIFIED).build()),
        Status.Code.INVALID_ARGUMENT,
        "protocol: required");
    assertStatus(
        () -> stub.trace(ok.toBuilder().setMaxHops(17).build()),
        Status.Code.INVALID_ARGUMENT,
        "max_hops: 17 is not in 1-16");
    assertStatus(
        () ->
            stub.trace(
                ok.toBuilder().setDestination(Endpoint.newBuilder().setIp("10.0.0.300")).build()),
        Status.Code.INVALID_ARGUMENT,
        "destination.ip: '10.0.0.300' is not an IP address");
    assertStatus(
        () -> stub.trace(ok.toBuilder().setDestination(pod("default", "nope")).build()),
        Status.Code.NOT_FOUND,
        "destination pod default/nope not found");
    assertStatus(
        () -> stub.trace(ok),
        Status.Code.FAILED_PRECONDITION,
        "no agent known for the source node node1");
    assertStatus(
        () -> stub.status(StatusRequest.getDefaultInstance()), Status.Code.UNIMPLEMENTED, "");
  }

  @Test
  void inspectAsksThePodsNodeAgent() throws Exception {
    PodInspection answer =
        PodInspection.newBuilder().setNode("node2").setHostInterface("veth3").setOfport(3).build();
    var stub = start(TracePlannerTest.inventory(), new FakeAgents().inspection("node2", answer));

    InspectRequest req =
        InspectRequest.newBuilder()
            .setPod(PodRef.newBuilder().setNamespace("default").setName("web-2"))
            .build();
    assertThat(stub.inspect(req)).isEqualTo(answer);

    assertStatus(
        () ->
            stub.inspect(
                InspectRequest.newBuilder()
                    .setPod(PodRef.newBuilder().setNamespace("default").setName("web-1"))
                    .build()),
        Status.Code.UNAVAILABLE,
        "agent on node1 unreachable");
    assertStatus(
        () ->
            stub.inspect(
                InspectRequest.newBuilder()
                    .setPod(PodRef.newBuilder().setNamespace("default").setName("zz"))
                    .build()),
        Status.Code.NOT_FOUND,
        "pod default/zz not found");
    assertStatus(
        () -> stub.inspect(InspectRequest.getDefaultInstance()),
        Status.Code.INVALID_ARGUMENT,
        "pod: required");
  }

  private static void assertStatus(Runnable call, Status.Code code, String messageStart) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(code);
              assertThat(String.valueOf(e.getStatus().getDescription())).startsWith(messageStart);
            });
  }

  @Test
  void inspectSendsThePodsIpSoCnisWithoutPodNamesInOvsdbFindIt() throws Exception {
    var inventory = TracePlannerTest.inventory();
    String ip =
        inventory
            .pod(new io.podpath.aggregator.inventory.ObjectRef("default", "web-2"))
            .orElseThrow()
            .ips()
            .get(0);
    FakeAgents agents =
        new FakeAgents().inspection("node2", PodInspection.newBuilder().setNode("node2").build());
    var stub = start(inventory, agents);
    stub.inspect(
        InspectRequest.newBuilder()
            .setPod(PodRef.newBuilder().setNamespace("default").setName("web-2"))
            .build());
    assertThat(agents.inspectRequests).hasSize(1);
    assertThat(agents.inspectRequests.get(0).getPodIp()).isEqualTo(ip).isNotEmpty();
    assertThat(agents.inspectRequests.get(0).getPod().getName()).isEqualTo("web-2");
  }

  @Test
  void liveTracesAreGatedBeforeAnythingIsSent() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    FakeAgents agents =
        new FakeAgents()
            .on(
                "node1",
                r ->
                    r.getPod().getName().equals("client-1")
                        ? toPod("default", "web-1")
                        : toPod("default", "client-1"));
    var stub =
        start(
            new AggregatorGrpcService(
                TracePlannerTest.inventory(),
                agents,
                registry,
                Optional.empty(),
                LiveGate.perMinute(1, registry)));
    TraceRequest live =
        TraceRequest.newBuilder()
            .setSource(pod("default", "client-1"))
            .setDestination(pod("default", "web-1"))
            .setProtocol(Protocol.PROTOCOL_TCP)
            .setDstPort(80)
            .setForwardOnly(true)
            .setLive(true)
            .setLiveTimeoutMillis(100)
            .build();
    TraceRequest outside =
        live.toBuilder().setDestination(Endpoint.newBuilder().setIp("192.0.2.9")).build();

    assertStatus(
        () -> stub.trace(outside),
        Status.Code.INVALID_ARGUMENT,
        "live: 192.0.2.9 is outside the cluster");
    // The fake agents send nothing: the live part ends INCONCLUSIVE, but it ran and is counted.
    assertThat(stub.trace(live).hasLive()).isTrue();
    int traced = agents.calls.size();
    assertStatus(
        () -> stub.trace(live),
        Status.Code.RESOURCE_EXHAUSTED,
        "this aggregator starts at most 1 live");
    assertThat(agents.calls).as("a refused live trace asks no agent").hasSize(traced);
    // A modelled trace is never limited.
    assertThat(stub.trace(live.toBuilder().setLive(false).clearLiveTimeoutMillis().build()))
        .isNotNull();

    assertThat(registry.find("podpath.live.traces").tag("outcome", "refused_external").counter())
        .isNotNull();
    assertThat(registry.find("podpath.live.traces").tag("outcome", "rate_limited").counter())
        .isNotNull();
    assertThat(registry.find("podpath.live.traces").tag("outcome", "inconclusive").counter())
        .isNotNull();
  }
}
