package io.podpath.agent.cni;

import static org.assertj.core.api.Assertions.assertThat;

import io.podpath.proto.v1.GetNodeRequest;
import io.podpath.proto.v1.InspectPodRequest;
import io.podpath.proto.v1.PodInspection;
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
 * {@code --mode aci}: the agent detects the ACI CNI from br-access + br-int joined by patch ports
 * and finds pods, whose ports carry no external_ids at all, by their IP: the namespace holding it,
 * eth0@ifN → ifindex N → the veth on br-access.
 */
@ExtendWith(SandboxExtension.class)
@SandboxConfig(nodes = 2, mode = Mode.ACI, apps = false)
class AciInspectSandboxTest {
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
  void getNodeAndInspectPodAgreeWithTheRealToolsInAciMode() throws Exception {
    for (Node n : sandbox.nodes()) {
      CniSandboxAgents.node(
          agents.stub(n.name()).getNode(GetNodeRequest.getDefaultInstance()),
          n,
          "aci",
          "br-access");
    }
    for (Pod p : sandbox.pods()) {
      PodInspection i = CniSandboxAgents.pod(sandbox, p, agents.stub(p.node()), "aci");
      assertThat(i.getBridge()).isEqualTo("br-access");
      // by IP alone: the same port and namespace; ACI's OVSDB names no pod, so neither does this
      PodInspection byIp =
          agents.stub(p.node()).inspectPod(InspectPodRequest.newBuilder().setIp(p.ip()).build());
      assertThat(byIp.toBuilder().clearPod().build()).isEqualTo(i.toBuilder().clearPod().build());
      assertThat(byIp.getPod().getName()).isEmpty();
    }
  }
}
