package io.podpath.agent.cni;

import static org.assertj.core.api.Assertions.assertThat;

import io.podpath.proto.v1.GetNodeRequest;
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
 * {@code --mode antrea}: the agent detects Antrea from antrea-gw0/antrea-tun0 and the Port rows'
 * antrea-type, and finds pods by the pod-name/pod-namespace Antrea writes on the Port row (not the
 * Interface), confirmed by eth0@ifN → ifindex N → the veth.
 */
@ExtendWith(SandboxExtension.class)
@SandboxConfig(nodes = 2, mode = Mode.ANTREA, apps = false)
class AntreaInspectSandboxTest {
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
  void getNodeAndInspectPodAgreeWithTheRealToolsInAntreaMode() throws Exception {
    for (Node n : sandbox.nodes()) {
      CniSandboxAgents.node(
          agents.stub(n.name()).getNode(GetNodeRequest.getDefaultInstance()),
          n,
          "antrea",
          "br-int");
    }
    for (Pod p : sandbox.pods()) {
      PodInspection i = CniSandboxAgents.pod(sandbox, p, agents.stub(p.node()), "antrea");
      assertThat(i.getBridge()).isEqualTo("br-int");
      // by name alone: Antrea names the pod on its Port row, so no IP is needed
      PodInspection byName =
          agents
              .stub(p.node())
              .inspectPod(
                  InspectPodRequest.newBuilder()
                      .setPod(PodRef.newBuilder().setNamespace(p.namespace()).setName(p.name()))
                      .build());
      assertThat(byName).isEqualTo(i);
    }
  }

  @Test
  void aPortStrippedOfAntreasIdsIsStillMappedByIfindexAndFlagged() throws Exception {
    Pod p = sandbox.pods().get(sandbox.pods().size() - 1);
    Node n = sandbox.node(p.node());
    String ids = CniSandboxAgents.vsctl(n, "get", "Port", p.hostInterface(), "external_ids");
    CniSandboxAgents.vsctl(n, "remove", "Port", p.hostInterface(), "external_ids", "antrea-type");
    try {
      PodInspection i = CniSandboxAgents.inspect(agents.stub(p.node()), p);
      assertThat(i.getHostInterface()).isEqualTo(p.hostInterface());
      assertThat(i.getFindingsList())
          .anySatisfy(
              f -> {
                assertThat(f.getSeverity()).isEqualTo(Severity.SEVERITY_WARNING);
                assertThat(f.getCode()).isEqualTo("pod-port-unconfirmed");
                assertThat(f.getMessage()).contains("antrea-type=container");
              });
    } finally {
      CniSandboxAgents.vsctl(
          n, "set", "Port", p.hostInterface(), "external_ids:antrea-type=container");
    }
    assertThat(ids).contains("antrea-type=container");
  }
}
