package io.podpath.agent.cni;

import io.podpath.testkit.Mode;
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
    agents.everyPodAgreesByName(sandbox, "kube-ovn", "br-int");
  }

  @Test
  void aPortStrippedOfKubeOvnsVendorIsStillMappedByIfindexAndFlagged() throws Exception {
    agents.strippedMarkIsStillMappedAndFlagged(sandbox, "Interface", "vendor", "kube-ovn");
  }
}
