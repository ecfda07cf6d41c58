package io.podpath.aggregator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.podpath.proto.v1.DirectionTrace;
import io.podpath.proto.v1.EndpointTrace;
import io.podpath.proto.v1.KernelHop;
import io.podpath.proto.v1.NodeObservation;
import io.podpath.proto.v1.NodeTrace;
import io.podpath.proto.v1.PodRef;
import io.podpath.proto.v1.TraceOutcome;
import io.podpath.proto.v1.TraceResult;
import io.podpath.proto.v1.Verdict;
import org.junit.jupiter.api.Test;

/** Exit codes decided on typed fields: the verdict and the last node's kernel hop. */
class TraceExitTest {
  private static TraceResult left(boolean kernelForwarded, boolean toPod) {
    NodeTrace.Builder t = NodeTrace.newBuilder().setBridge("br-int");
    if (kernelForwarded) {
      t.setKernel(KernelHop.newBuilder().setResult(KernelHop.Result.RESULT_FORWARDED));
    }
    EndpointTrace.Builder e =
        EndpointTrace.newBuilder()
            .setForward(
                DirectionTrace.newBuilder()
                    .setVerdict(Verdict.VERDICT_LEFT_CLUSTER)
                    .setEgressSource("172.31.6.11")
                    .addNodes(NodeObservation.newBuilder().setNode("node1").setTrace(t)));
    if (toPod) {
      e.setPod(PodRef.newBuilder().setNamespace("default").setName("web-1"));
    }
    return TraceResult.newBuilder().addEndpoints(e).build();
  }

  @Test
  void anExternalDestinationRoutedOutByTheKernelIsSuccess() {
    assertThat(TraceExit.of(left(true, false))).isEqualTo(ExitCodes.OK);
  }

  @Test
  void leavingOvsWithoutTheKernelHopOrMissingAPodIsAProblem() {
    assertThat(TraceExit.of(left(false, false))).isEqualTo(ExitCodes.PROBLEM);
    assertThat(TraceExit.of(left(true, true))).isEqualTo(ExitCodes.PROBLEM);
    assertThat(TraceExit.of(TraceResult.getDefaultInstance())).isEqualTo(ExitCodes.PROBLEM);
  }

  /** node1's kernel routed it into the uplink bridge, whose flows put it out {@code port}. */
  private static TraceResult throughUplinkBridge(String node, TraceOutcome.Kind kind) {
    NodeTrace kernel =
        NodeTrace.newBuilder()
            .setNode("node1")
            .setBridge("br-int")
            .setKernel(
                KernelHop.newBuilder()
                    .setResult(KernelHop.Result.RESULT_BACK_TO_OVS)
                    .setOvsBridge("br-phy")
                    .setOfport(65534))
            .build();
    NodeTrace out =
        NodeTrace.newBuilder()
            .setNode(node)
            .setBridge("br-phy")
            .setOutcome(TraceOutcome.newBuilder().setKind(kind).setPortName("eth0"))
            .build();
    return TraceResult.newBuilder()
        .addEndpoints(
            EndpointTrace.newBuilder()
                .setForward(
                    DirectionTrace.newBuilder()
                        .setVerdict(Verdict.VERDICT_LEFT_CLUSTER)
                        .addNodes(NodeObservation.newBuilder().setNode("node1").setTrace(kernel))
                        .addNodes(NodeObservation.newBuilder().setNode(node).setTrace(out))))
        .build();
  }

  @Test
  void routedByTheKernelIntoTheUplinkBridgeAndOutItsNicIsSuccess() {
    assertThat(TraceExit.of(throughUplinkBridge("node1", TraceOutcome.Kind.KIND_OTHER_PORT)))
        .isEqualTo(ExitCodes.OK);
    // out of a host-side port, or on another node than the kernel's: not shown to leave
    assertThat(TraceExit.of(throughUplinkBridge("node1", TraceOutcome.Kind.KIND_HOST)))
        .isEqualTo(ExitCodes.PROBLEM);
    assertThat(TraceExit.of(throughUplinkBridge("node2", TraceOutcome.Kind.KIND_OTHER_PORT)))
        .isEqualTo(ExitCodes.PROBLEM);
  }
}
