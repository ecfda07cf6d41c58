package io.podpath.aggregator.api.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.podpath.proto.v1.DirectionTrace;
import io.podpath.proto.v1.Encapsulation;
import io.podpath.proto.v1.EndpointTrace;
import io.podpath.proto.v1.KernelHop;
import io.podpath.proto.v1.LiveTrace;
import io.podpath.proto.v1.NodeObservation;
import io.podpath.proto.v1.NodeTrace;
import io.podpath.proto.v1.Packet;
import io.podpath.proto.v1.PodRef;
import io.podpath.proto.v1.Protocol;
import io.podpath.proto.v1.Sighting;
import io.podpath.proto.v1.TraceOutcome;
import io.podpath.proto.v1.TunnelOutput;
import io.podpath.proto.v1.Verdict;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * The exchange's outcome from the sightings: REPLIED only when the answer reaches the source's
 * point, LOST after the last point seen otherwise (the reply's points included), and a reply point
 * judged only where the model traced the reply.
 */
class LiveVerdictsTest {
  private static final PodRef CLIENT = PodRef.newBuilder().setNamespace("d").setName("c").build();
  private static final PodRef WEB = PodRef.newBuilder().setNamespace("d").setName("w").build();
  private static final Map<String, String> VETH =
      Map.of("n1 d/c", "vethC", "n2 d/w", "vethW", "n2 d/c", "", "n1 d/w", "");

  private static NodeObservation node(String name, TraceOutcome o, @Nullable KernelHop k) {
    NodeTrace.Builder t = NodeTrace.newBuilder().setOutcome(o);
    if (k != null) {
      t.setKernel(k);
    }
    return NodeObservation.newBuilder().setNode(name).setTrace(t).build();
  }

  private static EndpointTrace crossNode(Verdict reply) {
    TraceOutcome tunnel =
        TraceOutcome.newBuilder()
            .setKind(TraceOutcome.Kind.KIND_TUNNEL)
            .setTunnel(
                TunnelOutput.newBuilder()
                    .setType("geneve")
                    .setLocalIp("1.1.1.1")
                    .setRemoteIp("1.1.1.2"))
            .build();
    TraceOutcome local =
        TraceOutcome.newBuilder().setKind(TraceOutcome.Kind.KIND_LOCAL_POD).setPod(WEB).build();
    return EndpointTrace.newBuilder()
        .setPod(WEB)
        .setForward(
            DirectionTrace.newBuilder()
                .setVerdict(Verdict.VERDICT_DELIVERED)
                .addNodes(node("n1", tunnel, null))
                .addNodes(node("n2", local, null)))
        .setReply(DirectionTrace.newBuilder().setVerdict(reply))
        .build();
  }

  /** A node's sightings of a map built above (the test's own: every node is there). */
  private static List<Sighting> at(Map<String, List<Sighting>> m, String node) {
    return Objects.requireNonNull(m.get(node), node);
  }

  private static Sighting seen(
      String iface, boolean reply, int flags, @Nullable Encapsulation encap) {
    Sighting.Builder b =
        Sighting.newBuilder()
            .setInterface(iface)
            .setReply(reply)
            .setTcpFlags(flags)
            .setPacket(Packet.newBuilder().setProtocol(Protocol.PROTOCOL_TCP));
    if (encap != null) {
      b.setEncap(encap);
    }
    return b.build();
  }

  private static final Encapsulation GENEVE =
      Encapsulation.newBuilder().setOuterSrc("1.1.1.1").setOuterDst("1.1.1.2").build();

  private static LiveTrace judge(
      Optional<PodRef> src, EndpointTrace e, Map<String, List<Sighting>> seen) {
    List<CapturePoint> points =
        LivePoints.of(
            src,
            e,
            (n, p) -> VETH.get(n + " " + LivePoints.name(p)),
            p -> Optional.of(p.equals(WEB) ? "n2" : "n1"));
    LiveTrace.Builder out = LiveTrace.newBuilder();
    LiveVerdicts.judge(out, e, points, seen, 0, List.of());
    return out.build();
  }

  private static Map<String, List<Sighting>> forwardSeen() {
    Map<String, List<Sighting>> m = new HashMap<>();
    m.put(
        "n1",
        new ArrayList<>(
            List.of(seen("vethC", false, 0x02, null), seen("eth0", false, 0x02, GENEVE))));
    m.put(
        "n2",
        new ArrayList<>(
            List.of(seen("eth0", false, 0x02, GENEVE), seen("vethW", false, 0x02, null))));
    return m;
  }

  @Test
  void theAnswerBackAtTheSourceIsReplied() {
    Map<String, List<Sighting>> m = forwardSeen();
    at(m, "n2").add(seen("vethW", true, 0x12, null));
    at(m, "n1").add(seen("vethC", true, 0x12, null));
    LiveTrace t = judge(Optional.of(CLIENT), crossNode(Verdict.VERDICT_DELIVERED), m);
    assertThat(t.getOutcome()).isEqualTo("REPLIED");
    assertThat(t.getLiveVerdict()).isEqualTo(Verdict.VERDICT_DELIVERED);
    assertThat(t.getDisagrees()).isFalse();
    assertThat(t.getPointsList()).hasSize(6).allMatch(p -> p.getSeen());
  }

  @Test
  void anAnswerThatDiesOnTheWayBackIsLostAfterTheDestinationAndDisagrees() {
    Map<String, List<Sighting>> m = forwardSeen();
    at(m, "n2").add(seen("vethW", true, 0x12, null));
    LiveTrace t = judge(Optional.of(CLIENT), crossNode(Verdict.VERDICT_DELIVERED), m);
    assertThat(t.getOutcome()).isEqualTo("LOST after n2 vethW (reply leaving d/w host veth)");
    assertThat(t.getLiveVerdict()).isEqualTo(Verdict.VERDICT_DELIVERED);
    assertThat(t.getDisagrees()).isTrue();
    assertThat(t.getFinding()).contains("never seen on n1 (reply at d/c host veth)");
  }

  @Test
  void aResetIsNoAnswerAndTheModelsDroppedReplyAgrees() {
    Map<String, List<Sighting>> m = forwardSeen();
    at(m, "n2").add(seen("vethW", true, 0x14, null));
    at(m, "n1").add(seen("vethC", true, 0x14, null));
    LiveTrace t = judge(Optional.of(CLIENT), crossNode(Verdict.VERDICT_DROPPED), m);
    assertThat(t.getOutcome()).isEqualTo("DELIVERED");
    // The model drops the reply: the request still arrives, the answer never gets back.
    assertThat(t.getDisagrees()).as(t.getFinding()).isTrue();
    assertThat(t.getFinding()).contains("reply leaving d/w host veth");
  }

  @Test
  void aResetWhereTheModelExpectsAnAnswerIsNamedInTheFinding() {
    Map<String, List<Sighting>> m = forwardSeen();
    at(m, "n2").add(seen("vethW", true, 0x14, null));
    at(m, "n1").add(seen("vethC", true, 0x14, null));
    LiveTrace t = judge(Optional.of(CLIENT), crossNode(Verdict.VERDICT_DELIVERED), m);
    assertThat(t.getOutcome()).isEqualTo("DELIVERED");
    assertThat(t.getDisagrees()).isTrue();
    assertThat(t.getFinding())
        .contains("never seen on n2 (reply leaving d/w host veth)")
        .contains("a TCP reset came back instead: nothing accepted it at the destination port");
    // No refusal seen: the finding says nothing of one.
    LiveTrace silent =
        judge(Optional.of(CLIENT), crossNode(Verdict.VERDICT_DELIVERED), forwardSeen());
    assertThat(silent.getFinding()).doesNotContain("came back instead");
  }

  @Test
  void toAnOutsideHostTheReplyIsObservedButNotJudged() {
    TraceOutcome host =
        TraceOutcome.newBuilder().setKind(TraceOutcome.Kind.KIND_HOST).setPortName("mp0").build();
    KernelHop out =
        KernelHop.newBuilder()
            .setResult(KernelHop.Result.RESULT_FORWARDED)
            .setDevice("eth0")
            .build();
    EndpointTrace e =
        EndpointTrace.newBuilder()
            .setIp("9.9.9.9")
            .setForward(
                DirectionTrace.newBuilder()
                    .setVerdict(Verdict.VERDICT_LEFT_CLUSTER)
                    .addNodes(node("n1", host, out)))
            .setReply(DirectionTrace.newBuilder().setVerdict(Verdict.VERDICT_INCONCLUSIVE))
            .build();
    Map<String, List<Sighting>> m = new HashMap<>();
    m.put(
        "n1",
        List.of(
            seen("vethC", false, 0x02, null),
            seen("mp0", false, 0x02, null),
            seen("eth0", false, 0x02, null),
            seen("eth0", true, 0x12, null),
            seen("vethC", true, 0x12, null)));
    LiveTrace t = judge(Optional.of(CLIENT), e, m);
    assertThat(t.getOutcome()).isEqualTo("REPLIED");
    assertThat(t.getLiveVerdict()).isEqualTo(Verdict.VERDICT_LEFT_CLUSTER);
    assertThat(t.getDisagrees()).isFalse();
    assertThat(t.getPoints(t.getPointsCount() - 1).getNotModelled()).isTrue();
    // Dropped in the node's kernel: seen going in, never leaving.
    LiveTrace lost = judge(Optional.of(CLIENT), e, Map.of("n1", m.get("n1").subList(0, 2)));
    assertThat(lost.getOutcome()).isEqualTo("LOST after n1 mp0 (leaving OVS by mp0)");
    assertThat(lost.getLiveVerdict()).isEqualTo(Verdict.VERDICT_DROPPED);
    assertThat(lost.getDisagrees()).isTrue();
  }

  @Test
  void aPacketTheKernelDropsIsLostAfterItEnteredTheKernel() {
    TraceOutcome dropped =
        TraceOutcome.newBuilder().setKind(TraceOutcome.Kind.KIND_DROPPED).build();
    KernelHop k =
        KernelHop.newBuilder()
            .setResult(KernelHop.Result.RESULT_DROPPED)
            .setEnteredBy("mp0")
            .build();
    EndpointTrace e =
        EndpointTrace.newBuilder()
            .setIp("9.9.9.9")
            .setForward(
                DirectionTrace.newBuilder()
                    .setVerdict(Verdict.VERDICT_DROPPED)
                    .addNodes(node("n1", dropped, k)))
            .build();
    LiveTrace t =
        judge(
            Optional.of(CLIENT),
            e,
            Map.of(
                "n1", List.of(seen("vethC", false, 0x02, null), seen("mp0", false, 0x02, null))));
    assertThat(t.getOutcome()).isEqualTo("LOST after n1 mp0 (into n1's kernel)");
    assertThat(t.getDisagrees()).as(t.getFinding()).isFalse();
  }

  @Test
  void aPacketTheSourcePodCannotSendIsNotExpectedAtItsVeth() {
    TraceOutcome blocked =
        TraceOutcome.newBuilder().setKind(TraceOutcome.Kind.KIND_DROPPED).setPod(CLIENT).build();
    EndpointTrace e =
        EndpointTrace.newBuilder()
            .setPod(WEB)
            .setForward(
                DirectionTrace.newBuilder()
                    .setVerdict(Verdict.VERDICT_DROPPED)
                    .addNodes(node("n1", blocked, null)))
            .setReply(DirectionTrace.newBuilder().setVerdict(Verdict.VERDICT_DROPPED))
            .build();
    LiveTrace t = judge(Optional.of(CLIENT), e, Map.of("n1", List.of(), "n2", List.of()));
    assertThat(t.getOutcome()).isEqualTo("LOST before d/c host veth");
    assertThat(t.getPoints(0).getPredicted()).isFalse();
    assertThat(t.getDisagrees()).as(t.getFinding()).isFalse();
  }
}
