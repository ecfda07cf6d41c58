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
 * {@code --mode kube-ovn}: the agent detects Kube-OVN from ovn0 and vendor=kube-ovn (not
 * OVN-Kubernetes, although both run ovn-controller on br-int) and finds pods by {@code
 * iface-id=<pod>.<ns>}, confirmed by eth0@ifN → ifindex N → the veth.
 */
@ExtendWith(SandboxExtension.class)
@SandboxConfig(nodes = 2, mode = Mode.KUBE_OVN, apps = false)
class KubeOvnInspectSandboxTest {
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
  void getNodeAndInspectPodAgreeWithTheRealToolsInKubeOvnMode() throws Exception {
    for (Node n : sandbox.nodes()) {
      CniSandboxAgents.node(
          agents.stub(n.name()).getNode(GetNodeRequest.getDefaultInstance()),
          n,
          "kube-ovn",
          "br-int");
    }
    for (Pod p : sandbox.pods()) {
      PodInspection i = CniSandboxAgents.pod(sandbox, p, agents.stub(p.node()), "kube-ovn");
      assertThat(i.getBridge()).isEqualTo("br-int");
      // by name alone: Kube-OVN names the pod in iface-id, so no IP is needed
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
  void aPortStrippedOfKubeOvnsVendorIsStillMappedByIfindexAndFlagged() throws Exception {
    Pod p = sandbox.pods().get(sandbox.pods().size() - 1);
    Node n = sandbox.node(p.node());
    CniSandboxAgents.vsctl(n, "remove", "Interface", p.hostInterface(), "external_ids", "vendor");
    try {
      PodInspection i = CniSandboxAgents.inspect(agents.stub(p.node()), p);
      assertThat(i.getHostInterface()).isEqualTo(p.hostInterface());
      assertThat(i.getFindingsList())
          .anySatisfy(
              f -> {
                assertThat(f.getSeverity()).isEqualTo(Severity.SEVERITY_WARNING);
                assertThat(f.getCode()).isEqualTo("pod-port-unconfirmed");
                assertThat(f.getMessage()).contains("vendor=kube-ovn");
              });
    } finally {
      CniSandboxAgents.vsctl(
          n, "set", "Interface", p.hostInterface(), "external_ids:vendor=kube-ovn");
    }
  }
}
