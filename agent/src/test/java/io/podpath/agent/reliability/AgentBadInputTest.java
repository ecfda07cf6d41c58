package io.podpath.agent.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.podpath.proto.v1.AgentServiceGrpc.AgentServiceBlockingStub;
import io.podpath.proto.v1.ClusterContext;
import io.podpath.proto.v1.CtFlag;
import io.podpath.proto.v1.CtStateSet;
import io.podpath.proto.v1.GeneveOption;
import io.podpath.proto.v1.GetNodeRequest;
import io.podpath.proto.v1.InspectPodRequest;
import io.podpath.proto.v1.LocalPod;
import io.podpath.proto.v1.NodeInfo;
import io.podpath.proto.v1.Packet;
import io.podpath.proto.v1.PeerNode;
import io.podpath.proto.v1.PodRef;
import io.podpath.proto.v1.ProbeRequest;
import io.podpath.proto.v1.Protocol;
import io.podpath.proto.v1.RunChecksRequest;
import io.podpath.proto.v1.ServiceInfo;
import io.podpath.proto.v1.ServiceRef;
import io.podpath.proto.v1.TraceNodeRequest;
import io.podpath.proto.v1.TunnelIngress;
import io.podpath.testkit.HostileInput;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input against the agent's real gRPC service (real validators and handlers) over the
 * in-process transport. Each case: the exact status code, the field named at the start of the
 * message, nothing started (no command, no OVSDB read, no unixctl call — through the recording
 * command runner, database and unixctl), and a valid GetNode answering right after.
 */
class AgentBadInputTest {
  static RecordingAgent agent;

  /** One row of the table: which RPC, what is wrong, the status and the field it must name. */
  record Case(
      String name, Consumer<AgentServiceBlockingStub> call, Status.Code code, String field) {
    @Override
    public String toString() {
      return name;
    }
  }

  @BeforeAll
  static void start() throws Exception {
    agent = new RecordingAgent();
  }

  @AfterAll
  static void stop() {
    agent.close();
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
    // TraceNode: ingress and packet
    c.add(trace("no ingress", TraceNodeRequest.newBuilder().setPacket(tcp()), "ingress"));
    c.add(
        trace(
            "no packet",
            TraceNodeRequest.newBuilder().setPod(pod("default", "client-1")),
            "packet"));
    for (String bad : List.of("$(reboot)", "../etc", "a\nb", HostileInput.HUGE)) {
      c.add(trace("pod namespace " + show(bad), fromPod().setPod(pod(bad, "x")), "pod.namespace"));
      c.add(trace("pod name " + show(bad), fromPod().setPod(pod("default", bad)), "pod.name"));
    }
    c.add(trace("src_ip empty", fromPod().setPacket(tcp().setSrcIp("")), "packet.src_ip"));
    c.add(trace("dst_ip empty", fromPod().setPacket(tcp().setDstIp("")), "packet.dst_ip"));
    for (String bad : HostileInput.IPS_UNTRIMMED) {
      c.add(
          trace("src_ip " + show(bad), fromPod().setPacket(tcp().setSrcIp(bad)), "packet.src_ip"));
      c.add(
          trace("dst_ip " + show(bad), fromPod().setPacket(tcp().setDstIp(bad)), "packet.dst_ip"));
    }
    c.add(trace("v4 src, v6 dst", fromPod().setPacket(tcp().setDstIp("fd00::3")), "packet.dst_ip"));
    c.add(trace("v6 src, v4 dst", fromPod().setPacket(tcp().setSrcIp("fd00::3")), "packet.dst_ip"));
    c.add(
        trace(
            "v4-mapped v6 vs v6",
            fromPod().setPacket(tcp().setSrcIp("fd00::1").setDstIp("::ffff:10.0.0.1")),
            "packet.dst_ip"));
    c.add(
        trace(
            "protocol unspecified",
            fromPod().setPacket(tcp().setProtocol(Protocol.PROTOCOL_UNSPECIFIED)),
            "packet.protocol"));
    for (int v : new int[] {5, 99, -1, Integer.MAX_VALUE}) {
      c.add(
          trace(
              "protocol enum " + v,
              fromPod().setPacket(tcp().setProtocolValue(v)),
              "packet.protocol"));
    }
    for (Protocol p :
        List.of(Protocol.PROTOCOL_TCP, Protocol.PROTOCOL_UDP, Protocol.PROTOCOL_SCTP)) {
      String n = p.name().substring(9);
      c.add(
          trace(
              n + " dst_port 0",
              fromPod().setPacket(tcp().setProtocol(p).setDstPort(0)),
              "packet.dst_port"));
      for (int port : new int[] {65536, 70000, -1, Integer.MIN_VALUE}) {
        c.add(
            trace(
                n + " dst_port " + Integer.toUnsignedString(port),
                fromPod().setPacket(tcp().setProtocol(p).setDstPort(port)),
                "packet.dst_port"));
        c.add(
            trace(
                n + " src_port " + Integer.toUnsignedString(port),
                fromPod().setPacket(tcp().setProtocol(p).setSrcPort(port)),
                "packet.src_port"));
      }
      c.add(
          trace(
              n + " with icmp_type",
              fromPod().setPacket(tcp().setProtocol(p).setIcmpType(8)),
              "packet.icmp_type"));
    }
    c.add(
        trace("ICMP with dst_port", fromPod().setPacket(icmp().setDstPort(80)), "packet.dst_port"));
    c.add(
        trace("ICMP with src_port", fromPod().setPacket(icmp().setSrcPort(80)), "packet.dst_port"));
    for (int v : new int[] {256, 65535, -1}) {
      c.add(
          trace(
              "icmp_type " + Integer.toUnsignedString(v),
              fromPod().setPacket(icmp().setIcmpType(v)),
              "packet.icmp_type"));
      c.add(
          trace(
              "icmp_code " + Integer.toUnsignedString(v),
              fromPod().setPacket(icmp().setIcmpCode(v)),
              "packet.icmp_code"));
      c.add(
          trace(
              "ttl " + Integer.toUnsignedString(v),
              fromPod().setPacket(tcp().setTtl(v)),
              "packet.ttl"));
    }
    for (String bad : HostileInput.MACS) {
      c.add(
          trace(
              "src_mac " + show(bad), fromPod().setPacket(tcp().setSrcMac(bad)), "packet.src_mac"));
      c.add(
          trace(
              "dst_mac " + show(bad), fromPod().setPacket(tcp().setDstMac(bad)), "packet.dst_mac"));
    }
    // TraceNode: conntrack states
    CtStateSet trk = CtStateSet.newBuilder().addFlags(CtFlag.CT_FLAG_TRK).build();
    TraceNodeRequest.Builder many = fromPod();
    for (int i = 0; i < 17; i++) {
      many.addCtNext(trk);
    }
    c.add(trace("17 ct_next entries", many, "ct_next"));
    c.add(
        trace(
            "empty ct_next set",
            fromPod().addCtNext(CtStateSet.getDefaultInstance()),
            "ct_next[0]"));
    c.add(
        trace(
            "ct flag unspecified",
            fromPod().addCtNext(CtStateSet.newBuilder().addFlags(CtFlag.CT_FLAG_UNSPECIFIED)),
            "ct_next[0]"));
    c.add(
        trace(
            "ct flag 99",
            fromPod().addCtNext(trk).addCtNext(CtStateSet.newBuilder().addFlagsValue(99)),
            "ct_next[1]"));
    // TraceNode: conntrack flag sets ofproto/trace refuses (INVALID_ARGUMENT, not INTERNAL + OVS
    // text)
    for (List<CtFlag> bad :
        List.of(
            List.of(CtFlag.CT_FLAG_TRK, CtFlag.CT_FLAG_NEW, CtFlag.CT_FLAG_EST),
            List.of(CtFlag.CT_FLAG_TRK, CtFlag.CT_FLAG_NEW, CtFlag.CT_FLAG_RPL),
            List.of(CtFlag.CT_FLAG_TRK, CtFlag.CT_FLAG_INV, CtFlag.CT_FLAG_EST),
            List.of(CtFlag.CT_FLAG_EST))) {
      c.add(
          trace(
              "contradictory ct flags " + bad,
              fromPod().addCtNext(trk).addCtNext(CtStateSet.newBuilder().addAllFlags(bad)),
              "ct_next[1]"));
    }
    // TraceNode: tunnel ingress
    for (String bad : List.of("", "1.2.3", "$(id)", "fe80::1%eth0", HostileInput.HUGE)) {
      c.add(
          trace(
              "tun_src " + show(bad),
              TraceNodeRequest.newBuilder().setTunnel(tunnel().setTunSrc(bad)).setPacket(tcp()),
              "tunnel.tun_src"));
      c.add(
          trace(
              "tun_dst " + show(bad),
              TraceNodeRequest.newBuilder().setTunnel(tunnel().setTunDst(bad)).setPacket(tcp()),
              "tunnel.tun_dst"));
    }
    for (long id : new long[] {1L << 32, -1L, Long.MIN_VALUE}) {
      c.add(
          trace(
              "tun_id " + Long.toUnsignedString(id),
              TraceNodeRequest.newBuilder().setTunnel(tunnel().setTunId(id)).setPacket(tcp()),
              "tunnel.tun_id"));
    }
    c.add(
        trace(
            "geneve class 0x10000",
            TraceNodeRequest.newBuilder()
                .setTunnel(
                    tunnel()
                        .setGeneveOptions(
                            0, tunnel().getGeneveOptions(0).toBuilder().setOptionClass(0x10000)))
                .setPacket(tcp()),
            "geneve_options.option_class"));
    c.add(
        trace(
            "geneve type 256",
            TraceNodeRequest.newBuilder()
                .setTunnel(
                    tunnel()
                        .setGeneveOptions(0, tunnel().getGeneveOptions(0).toBuilder().setType(256)))
                .setPacket(tcp()),
            "geneve_options.type"));
    for (int len : new int[] {0, 3, 5, 128, 4096}) {
      c.add(
          trace(
              "geneve value " + len + " bytes",
              TraceNodeRequest.newBuilder()
                  .setTunnel(
                      tunnel()
                          .setGeneveOptions(
                              0,
                              tunnel().getGeneveOptions(0).toBuilder()
                                  .setValue(ByteString.copyFrom(new byte[len]))))
                  .setPacket(tcp()),
              "geneve_options.value"));
    }
    c.add(
        trace(
            "tunnel + bad packet",
            TraceNodeRequest.newBuilder().setTunnel(tunnel()).setPacket(tcp().setDstPort(0)),
            "packet.dst_port"));
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
    c.add(probe("protocol SCTP", probe().setProtocol(Protocol.PROTOCOL_SCTP), "protocol"));
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

  /** Short, printable case names: control characters escaped, long values abbreviated. */
  static String show(String v) {
    String s = v.length() > 24 ? v.substring(0, 8) + "…(" + v.length() + " chars)" : v;
    StringBuilder b = new StringBuilder("'");
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      b.append(ch < 0x20 || ch == 0x7f ? String.format("\\x%02x", (int) ch) : String.valueOf(ch));
    }
    return b.append("'").toString();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void rejectedNamingTheFieldNothingStartedStillServing(Case c) {
    agent.drain();
    StatusRuntimeException e = fails(() -> c.call().accept(agent.stub()));
    assertThat(e.getStatus().getCode()).as(c.name()).isEqualTo(c.code());
    assertThat(e.getStatus().getDescription()).as(c.name()).startsWith(c.field() + ":");
    // The message travels as an HTTP/2 trailer (Netty's limit: 8-10 KiB): never echo it all.
    assertThat(e.getStatus().getDescription().length()).as(c.name()).isLessThan(2048);
    assertThat(agent.drain()).as("commands/OVSDB/unixctl started by " + c.name()).isEmpty();
    assertServing();
  }

  /** A valid GetNode answers (and really goes through the recorded runner: positive control). */
  static void assertServing() {
    NodeInfo n = agent.stub().getNode(GetNodeRequest.getDefaultInstance());
    assertThat(n.getNodeName()).isEqualTo("node1");
    assertThat(n.getOvsVersion()).isEqualTo("3.1.0");
    assertThat(agent.drain()).contains("exec ip -j addr show", "ovsdb Open_vSwitch");
  }

  /**
   * Cluster facts from the aggregator are data, not validated input: hostile values there must
   * never reach a command line. Every check runs (against recorded, failing tools) and no argv
   * carries any of them.
   */
  @Test
  void hostileClusterContextNeverReachesACommandLine() {
    List<String> evil = List.of("$(reboot)", "; rm -rf /", "../../etc/shadow", "`id`", "|nc");
    ClusterContext.Builder ctx =
        ClusterContext.newBuilder().setDnsServiceIp(evil.get(0) + "10.96.0.10");
    for (String e : evil) {
      ctx.addPeers(PeerNode.newBuilder().setName("node" + e).setEncapIp("172.31.7.12" + e));
      ctx.addServices(
          ServiceInfo.newBuilder()
              .setService(ServiceRef.newBuilder().setNamespace(e).setName(e))
              .addClusterIps("10.96.0.10" + e));
      ctx.addLocalPods(LocalPod.newBuilder().setPod(pod(e, e)).addIps("10.244.1.3" + e));
    }
    agent.drain();
    var report = agent.stub().runChecks(RunChecksRequest.newBuilder().setContext(ctx).build());
    assertThat(report.getResultsCount()).isGreaterThan(5);
    for (List<String> argv : agent.commands) {
      for (String arg : argv) {
        for (String e : evil) {
          assertThat(arg).as("argv " + argv).doesNotContain(e);
        }
      }
    }
    agent.drain();
    assertServing();
  }

  static StatusRuntimeException fails(Runnable call) {
    try {
      call.run();
    } catch (StatusRuntimeException e) {
      return e;
    }
    throw new AssertionError("call succeeded");
  }

  static UnaryOperator<String> id() {
    return s -> s;
  }
}
