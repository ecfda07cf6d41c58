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
    agents.everyPodAgreesByName(sandbox, "antrea", "br-int");
  }

  @Test
  void aPortStrippedOfAntreasIdsIsStillMappedByIfindexAndFlagged() throws Exception {
    agents.strippedMarkIsStillMappedAndFlagged(sandbox, "Port", "antrea-type", "container");
  }
}
