package io.podpath.agent.reliability;

import static io.podpath.testkit.HostileInput.show;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.podpath.proto.v1.AgentServiceGrpc.AgentServiceBlockingStub;
import io.podpath.proto.v1.GeneveOption;
import io.podpath.proto.v1.InspectPodRequest;
import io.podpath.proto.v1.Packet;
import io.podpath.proto.v1.PodRef;
import io.podpath.proto.v1.ProbeRequest;
import io.podpath.proto.v1.Protocol;
import io.podpath.proto.v1.RunChecksRequest;
import io.podpath.proto.v1.TraceNodeRequest;
import io.podpath.proto.v1.TunnelIngress;
import io.podpath.testkit.HostileInput;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The malformed agent requests {@link AgentBadInputTest} sends, each with the status code and the
 * field its error must name.
 */
final class BadRequests {
  private BadRequests() {}

  /** One row of the table: which RPC, what is wrong, the status and the field it must name. */
  record Case(
      String name, Consumer<AgentServiceBlockingStub> call, Status.Code code, String field) {
    @Override
    public String toString() {
      return name;
    }
  }

  static PodRef pod(String ns, String name) {
    return PodRef.newBuilder().setNamespace(ns).setName(name).build();
  }

  static Packet.Builder tcp() {
    return Packet.newBuilder()
        .setSrcIp("10.244.1.3")
        .setDstIp("10.244.2.3")
        .setProtocol(Protocol.PROTOCOL_TCP)
        .setDstPort(80);
  }

  static Packet.Builder icmp() {
    return Packet.newBuilder()
        .setSrcIp("10.244.1.3")
        .setDstIp("10.244.2.3")
        .setProtocol(Protocol.PROTOCOL_ICMP);
  }

  static TraceNodeRequest.Builder fromPod() {
    return TraceNodeRequest.newBuilder().setPod(pod("default", "client-1")).setPacket(tcp());
  }

  static TunnelIngress.Builder tunnel() {
    return TunnelIngress.newBuilder()
        .setTunSrc("172.31.7.12")
        .setTunDst("172.31.7.11")
        .setTunId(3)
        .addGeneveOptions(
            GeneveOption.newBuilder()
                .setOptionClass(0x102)
                .setType(0x80)
                .setValue(ByteString.copyFrom(new byte[] {0, 1, 0, 2})));
  }

  static ProbeRequest.Builder probe() {
    return ProbeRequest.newBuilder()
        .setSource(pod("default", "client-1"))
        .setDestinationIp("10.244.2.3")
        .setProtocol(Protocol.PROTOCOL_TCP)
        .setDstPort(80);
  }

  private static final Status.Code INVALID = Status.Code.INVALID_ARGUMENT;

  static Stream<Case> cases() {
    List<Case> c = new ArrayList<>();
    // InspectPod
    c.add(
        new Case(
            "InspectPod no target",
            s -> s.inspectPod(InspectPodRequest.getDefaultInstance()),
            INVALID,
            "target"));
    c.add(inspect("empty namespace", pod("", "web-1"), "pod.namespace"));
    c.add(inspect("empty name", pod("default", ""), "pod.name"));
    for (String bad : HostileInput.NAMES_IN_ONE_FIELD) {
      c.add(inspect("namespace " + show(bad), pod(bad, "web-1"), "pod.namespace"));
      c.add(inspect("name " + show(bad), pod("default", bad), "pod.name"));
    }
    c.add(inspect("name a..b", pod("default", "a..b"), "pod.name"));
    c.add(
        new Case(
            "InspectPod ip empty",
            s -> s.inspectPod(InspectPodRequest.newBuilder().setIp("").build()),
            INVALID,
            "ip"));
    for (String bad : HostileInput.IPS_UNTRIMMED) {
      c.add(
          new Case(
              "InspectPod ip " + show(bad),
              s -> s.inspectPod(InspectPodRequest.newBuilder().setIp(bad).build()),
              INVALID,
              "ip"));
    }
    // RunChecks
    for (String bad :
        List.of(
            "nope",
            "ip-forward; reboot",
            "../../etc/passwd",
            "",
            "a\u0000b",
            "IP-FORWARD",
            HostileInput.HUGE)) {
      c.add(
          new Case(
              "RunChecks check_ids " + show(bad),
              s -> s.runChecks(RunChecksRequest.newBuilder().addCheckIds(bad).build()),
              INVALID,
              "check_ids"));
    }
    // Repeated ids would run the same (possibly slow) check again, holding a call slot longer.
    c.add(
        new Case(
            "RunChecks check_ids dns x4",
            s ->
                s.runChecks(
                    RunChecksRequest.newBuilder()
                        .addAllCheckIds(List.of("dns", "dns", "dns", "dns"))
                        .build()),
            INVALID,
            "check_ids"));
    // Probe
    c.add(probe("no source", probe().clearSource(), "source.namespace"));
    for (String bad : List.of("$(reboot)", "../x", "a\nb", HostileInput.HUGE)) {
      c.add(
          probe(
              "source namespace " + show(bad),
              probe().setSource(pod(bad, "x")),
              "source.namespace"));
      c.add(
          probe("source name " + show(bad), probe().setSource(pod("default", bad)), "source.name"));
    }
    c.add(
        probe(
            "protocol unspecified",
            probe().setProtocol(Protocol.PROTOCOL_UNSPECIFIED),
            "protocol"));
    c.add(
        probe(
            "sctp dst_port 0",
            probe().setProtocol(Protocol.PROTOCOL_SCTP).setDstPort(0),
            "dst_port"));
    c.add(probe("protocol 42", probe().setProtocolValue(42), "protocol"));
    for (int port : new int[] {0, 65536, -1}) {
      c.add(
          probe(
              "tcp dst_port " + Integer.toUnsignedString(port),
              probe().setDstPort(port),
              "dst_port"));
      c.add(
          probe(
              "udp dst_port " + Integer.toUnsignedString(port),
              probe().setProtocol(Protocol.PROTOCOL_UDP).setDstPort(port),
              "dst_port"));
    }
    for (int size : new int[] {65508, 1 << 20, -1}) {
      c.add(probe("size " + Integer.toUnsignedString(size), probe().setSize(size), "size"));
    }
    for (int t : new int[] {10_001, -1}) {
      c.add(
          probe(
              "timeout_millis " + Integer.toUnsignedString(t),
              probe().setTimeoutMillis(t),
              "timeout_millis"));
    }
    c.add(probe("destination empty", probe().setDestinationIp(""), "destination_ip"));
    for (String bad : HostileInput.IPS_UNTRIMMED) {
      c.add(probe("destination " + show(bad), probe().setDestinationIp(bad), "destination_ip"));
    }
    return c.stream();
  }

  static Case inspect(String what, PodRef ref, String field) {
    return new Case(
        "InspectPod " + what,
        s -> s.inspectPod(InspectPodRequest.newBuilder().setPod(ref).build()),
        INVALID,
        field);
  }

  static Case trace(String what, TraceNodeRequest.Builder r, String field) {
    TraceNodeRequest req = r.build();
    return new Case("TraceNode " + what, s -> s.traceNode(req), INVALID, field);
  }

  static Case probe(String what, ProbeRequest.Builder r, String field) {
    ProbeRequest req = r.build();
    return new Case("Probe " + what, s -> s.probe(req), INVALID, field);
  }
}
