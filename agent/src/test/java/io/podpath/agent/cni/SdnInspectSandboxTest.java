package io.podpath.agent.cni;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.podpath.proto.v1.InspectPodRequest;
import io.podpath.proto.v1.PodInspection;
import io.podpath.proto.v1.PodRef;
import io.podpath.proto.v1.Severity;
import io.podpath.testkit.Mode;
import io.podpath.testkit.Node;
import io.podpath.testkit.Pod;
import io.podpath.testkit.Sandbox;
import io.podpath.testkit.SandboxConfig;
import io.podpath.testkit.SandboxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code --mode sdn}: the agent detects OpenShift SDN from br0/vxlan0/tun0 and finds pods, whose
 * ports carry no pod name, by their IP: the namespace holding it, eth0@ifN → ifindex N → veth.
 */
@ExtendWith(SandboxExtension.class)
@SandboxConfig(nodes = 2, mode = Mode.SDN, apps = false)
class SdnInspectSandboxTest {
  static Sandbox sandbox;
  static CniSandboxAgents agents;

  @BeforeAll
  static void up(Sandbox sb) throws Exception {
    sandbox = sb;
    agents = new CniSandboxAgents(sb);
  }

  @AfterAll
  static void down() {
    agents.close();
  }

  @Test
  void getNodeAndInspectPodAgreeWithTheRealToolsInSdnMode() throws Exception {
    agents.everyPodAgreesByIpAlone(sandbox, "openshift-sdn", "br0");
  }

  @Test
  void aPodNameWithoutItsIpIsRefusedNamingTheWayOut() {
    Pod p = sandbox.pods().get(0);
    assertThatThrownBy(
            () ->
                agents
                    .stub(p.node())
                    .inspectPod(
                        InspectPodRequest.newBuilder()
                            .setPod(
                                PodRef.newBuilder().setNamespace(p.namespace()).setName(p.name()))
                            .build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
              assertThat(e.getStatus().getDescription())
                  .contains("openshift-sdn writes no pod name")
                  .contains("by its IP");
            });
  }

  @Test
  void aPortWithoutAnyCniExternalIdsIsStillMappedByIfindexAndFlagged() throws Exception {
    Pod p = sandbox.pods().get(sandbox.pods().size() - 1);
    Node n = sandbox.node(p.node());
    String sandboxId =
        CniSandboxAgents.vsctl(n, "get", "Interface", p.hostInterface(), "external_ids:sandbox");
    String ip = CniSandboxAgents.vsctl(n, "get", "Interface", p.hostInterface(), "external_ids:ip");
    CniSandboxAgents.vsctl(n, "clear", "Interface", p.hostInterface(), "external_ids");
    try {
      PodInspection i = CniSandboxAgents.inspect(agents.stub(p.node()), p);
      assertThat(i.getHostInterface()).isEqualTo(p.hostInterface());
      assertThat(i.getNetns()).isEqualTo("/var/run/netns/" + p.netns());
      assertThat(i.getFindingsList())
          .anySatisfy(
              f -> {
                assertThat(f.getSeverity()).isEqualTo(Severity.SEVERITY_WARNING);
                assertThat(f.getCode()).isEqualTo("pod-port-unconfirmed");
                assertThat(f.getMessage()).contains("sandbox").contains("ip");
              });
    } finally {
      CniSandboxAgents.vsctl(
          n,
          "set",
          "Interface",
          p.hostInterface(),
          "external_ids:sandbox=" + sandboxId,
          "external_ids:ip=\"" + ip + "\"");
    }
  }
}
