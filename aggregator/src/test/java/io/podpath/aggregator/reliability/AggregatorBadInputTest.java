package io.podpath.aggregator.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.podpath.aggregator.api.AggregatorGrpcService;
import io.podpath.aggregator.api.AggregatorServer;
import io.podpath.aggregator.inventory.Inventory;
import io.podpath.aggregator.sweep.ClusterContexts;
import io.podpath.aggregator.sweep.SweepMetrics;
import io.podpath.aggregator.sweep.SweepRunner;
import io.podpath.aggregator.sweep.SweepService;
import io.podpath.aggregator.trace.FakeAgents;
import io.podpath.aggregator.trace.TracePlannerTest;
import io.podpath.proto.grpc.HostPort;
import io.podpath.proto.v1.AggregatorServiceGrpc;
import io.podpath.proto.v1.AggregatorServiceGrpc.AggregatorServiceBlockingStub;
import io.podpath.proto.v1.Endpoint;
import io.podpath.proto.v1.InspectRequest;
import io.podpath.proto.v1.PodRef;
import io.podpath.proto.v1.Protocol;
import io.podpath.proto.v1.ServiceRef;
import io.podpath.proto.v1.SweepRequest;
import io.podpath.proto.v1.TraceRequest;
import io.podpath.proto.v1.TraceResult;
import io.podpath.proto.v1.Verdict;
import io.podpath.testkit.HostileInput;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input against the aggregator's real gRPC server (Netty on loopback, so transport limits such
 * as the trailer size apply) with Trace, Inspect and Sweep: the exact status, the field named at
 * the start of the message, no call to any agent (the only way the aggregator makes a node start a
 * command), and a valid Trace answering right after.
 */
class AggregatorBadInputTest {
  static AggregatorServer server;
  static ManagedChannel channel;
  static RecordingAgents agents;
  static SweepService sweeps;

  record Case(
      String name, Consumer<AggregatorServiceBlockingStub> call, Status.Code code, String field) {
    @Override
    public String toString() {
      return name;
    }
  }

  @BeforeAll
  static void start() throws Exception {
    Inventory inventory = TracePlannerTest.inventory();
    agents = new RecordingAgents(FakeAgents.cluster(inventory));
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    sweeps =
        new SweepService(
            new SweepRunner(
                inventory,
                agents,
                new ClusterContexts(ClusterContexts.DEFAULT_DNS_SERVICES),
                2,
                Duration.ofSeconds(5)),
            Optional.empty(),
            new SweepMetrics(registry));
    server =
        new AggregatorServer(
                new HostPort("127.0.0.1", 0),
                List.of(new AggregatorGrpcService(inventory, agents, registry, sweeps)))
            .start();
    channel =
        Grpc.newChannelBuilder("127.0.0.1:" + server.port(), InsecureChannelCredentials.create())
            .build();
  }

  @AfterAll
  static void stop() {
    channel.shutdownNow();
    server.close();
    sweeps.close();
  }

  static AggregatorServiceBlockingStub stub() {
    return AggregatorServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
  }

  static Endpoint pod(String ns, String name) {
    return Endpoint.newBuilder().setPod(PodRef.newBuilder().setNamespace(ns).setName(name)).build();
  }

  static Endpoint svc(String ns, String name) {
    return Endpoint.newBuilder()
        .setService(ServiceRef.newBuilder().setNamespace(ns).setName(name))
        .build();
  }

  static Endpoint ip(String ip) {
    return Endpoint.newBuilder().setIp(ip).build();
  }

  static TraceRequest.Builder valid() {
    return TraceRequest.newBuilder()
        .setSource(pod("default", "client-1"))
        .setDestination(pod("default", "web-1"))
        .setProtocol(Protocol.PROTOCOL_TCP)
        .setDstPort(80);
  }

  static final Status.Code INVALID = Status.Code.INVALID_ARGUMENT;

  static Case trace(String what, TraceRequest.Builder r, String field) {
    TraceRequest req = r.build();
    return new Case("Trace " + what, s -> s.trace(req), INVALID, field);
  }

  static Stream<Case> cases() {
    List<Case> c = new ArrayList<>();
    c.add(trace("no source", valid().clearSource(), "source"));
    c.add(trace("no destination", valid().clearDestination(), "destination"));
    c.add(trace("source kind unset", valid().setSource(Endpoint.getDefaultInstance()), "source"));
    c.add(
        trace(
            "destination kind unset",
            valid().setDestination(Endpoint.getDefaultInstance()),
            "destination"));
    c.add(
        trace(
            "source pod empty namespace", valid().setSource(pod("", "x")), "source.pod.namespace"));
    c.add(trace("source pod empty name", valid().setSource(pod("default", "")), "source.pod.name"));
    for (String bad : HostileInput.NAMES) {
      String s = HostileInput.show(bad);
      c.add(
          trace(
              "source pod namespace " + s,
              valid().setSource(pod(bad, "x")),
              "source.pod.namespace"));
      c.add(
          trace(
              "destination pod name " + s,
              valid().setDestination(pod("default", bad)),
              "destination.pod.name"));
      c.add(
          trace(
              "destination service namespace " + s,
              valid().setDestination(svc(bad, "web")),
              "destination.service.namespace"));
      c.add(
          trace(
              "destination service name " + s,
              valid().setDestination(svc("default", bad)),
              "destination.service.name"));
    }
    for (String bad : HostileInput.IPS) {
      String s = HostileInput.show(bad);
      c.add(trace("source ip " + s, valid().setSource(ip(bad)), "source.ip"));
      c.add(trace("destination ip " + s, valid().setDestination(ip(bad)), "destination.ip"));
    }
    c.add(
        trace(
            "protocol unspecified",
            valid().setProtocol(Protocol.PROTOCOL_UNSPECIFIED),
            "protocol"));
    for (int v : new int[] {5, 99, -1}) {
      c.add(trace("protocol enum " + v, valid().setProtocolValue(v), "protocol"));
    }
    for (int port : new int[] {65536, 70000, -1, Integer.MIN_VALUE}) {
      String p = Integer.toUnsignedString(port);
      c.add(trace("dst_port " + p, valid().setDstPort(port), "dst_port"));
      c.add(trace("src_port " + p, valid().setSrcPort(port), "src_port"));
      c.add(
          trace(
              "UDP dst_port " + p,
              valid().setProtocol(Protocol.PROTOCOL_UDP).setDstPort(port),
              "dst_port"));
    }
    TraceRequest.Builder icmp = valid().setProtocol(Protocol.PROTOCOL_ICMP).setDstPort(0);
    c.add(trace("ICMP with dst_port", icmp.clone().setDstPort(80), "dst_port"));
    c.add(trace("ICMP with src_port", icmp.clone().setSrcPort(80), "src_port"));
    c.add(trace("TCP with icmp_type", valid().setIcmpType(8), "icmp_type"));
    for (int t : new int[] {256, 65535, -1}) {
      c.add(
          trace(
              "icmp_type " + Integer.toUnsignedString(t),
              icmp.clone().setIcmpType(t),
              "icmp_type"));
    }
    for (int h : new int[] {17, 1000, -1}) {
      c.add(trace("max_hops " + Integer.toUnsignedString(h), valid().setMaxHops(h), "max_hops"));
    }
    // Inspect
    c.add(
        new Case(
            "Inspect no pod", s -> s.inspect(InspectRequest.getDefaultInstance()), INVALID, "pod"));
    for (String bad : HostileInput.NAMES) {
      String s = HostileInput.show(bad);
      c.add(inspect("namespace " + s, bad, "web-1", "pod.namespace"));
      c.add(inspect("name " + s, "default", bad, "pod.name"));
    }
    // Sweep (server streaming: the error comes with the first read)
    for (String bad :
        List.of("$(reboot)", "../node1", "Node1", "node1\n", "-node", "", HostileInput.HUGE)) {
      c.add(
          sweep(
              "node " + HostileInput.show(bad), SweepRequest.newBuilder().addNodes(bad), "nodes"));
    }
    for (String bad :
        List.of("nope", "ip-forward; reboot", "../../etc/passwd", "", "MTU", HostileInput.HUGE)) {
      c.add(
          sweep(
              "check " + HostileInput.show(bad),
              SweepRequest.newBuilder().addCheckIds(bad),
              "check_ids"));
    }
    // A request must not outlive its caller by naming one node 10,000 times or too many nodes.
    SweepRequest.Builder repeated = SweepRequest.newBuilder();
    for (int i = 0; i < 10_000; i++) {
      repeated.addNodes("node1");
    }
    c.add(sweep("node1 10,000 times", repeated, "nodes"));
    SweepRequest.Builder tooMany = SweepRequest.newBuilder();
    for (int i = 0; i <= 5_000; i++) {
      tooMany.addNodes("n" + i);
    }
    c.add(sweep("5,001 distinct nodes", tooMany, "nodes"));
    c.add(
        sweep(
            "check dns twice",
            SweepRequest.newBuilder().addCheckIds("dns").addCheckIds("dns"),
            "check_ids"));
    return c.stream();
  }

  static Case inspect(String what, String ns, String name, String field) {
    InspectRequest r =
        InspectRequest.newBuilder()
            .setPod(PodRef.newBuilder().setNamespace(ns).setName(name))
            .build();
    return new Case("Inspect " + what, s -> s.inspect(r), INVALID, field);
  }

  static Case sweep(String what, SweepRequest.Builder r, String field) {
    SweepRequest req = r.build();
    return new Case("Sweep " + what, s -> s.sweep(req).forEachRemaining(u -> {}), INVALID, field);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void rejectedNamingTheFieldNoAgentCalledStillServing(Case c) {
    agents.drain();
    StatusRuntimeException e;
    try {
      c.call().accept(stub());
      throw new AssertionError("call succeeded: " + c.name());
    } catch (StatusRuntimeException ex) {
      e = ex;
    }
    assertThat(e.getStatus().getCode()).as(c.name() + ": " + e.getStatus()).isEqualTo(c.code());
    assertThat(e.getStatus().getDescription()).as(c.name()).startsWith(c.field() + ":");
    assertThat(e.getStatus().getDescription().length())
        .as("error message length (it is sent as a trailer)")
        .isLessThan(2048);
    assertThat(agents.drain()).as("agent calls made for " + c.name()).isEmpty();
    assertServing();
  }

  /** A valid trace answers, through the agents (positive control of the recorder). */
  static void assertServing() {
    TraceResult r = stub().trace(valid().setForwardOnly(true).build());
    assertThat(r.getEndpoints(0).getForward().getVerdict()).isEqualTo(Verdict.VERDICT_DELIVERED);
    assertThat(agents.drain()).isNotEmpty();
  }
}
