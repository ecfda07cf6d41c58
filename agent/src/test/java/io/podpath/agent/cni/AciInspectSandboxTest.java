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
    agents.everyPodAgreesByIpAlone(sandbox, "aci", "br-access");
  }
}
