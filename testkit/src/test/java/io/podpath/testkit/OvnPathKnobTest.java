package io.podpath.testkit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SandboxExtension.class)
@SandboxConfig(apps = false)
class OvnPathKnobTest extends PathKnobs {

  @Test
  void conntrackFull(Sandbox sb) {
    conntrackFullDropsNewConnectionsOnly(sb);
  }

  @Test
  void nodePort(Sandbox sb) throws Exception {
    nodePortFromTheExternalHost(sb);
  }

  @Test
  void externalHostThroughANode(Sandbox sb) {
    externalHostThroughThePodsNode(sb);
  }

  @Test
  void replyFromTheExternalHost(Sandbox sb) {
    replyFromTheExternalHostCutAlone(sb);
  }
}
