package io.podpath.testkit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SandboxExtension.class)
@SandboxConfig(mode = Mode.OVS, apps = false)
class OvsPathKnobTest extends PathKnobs {

  @Test
  void conntrackFull(Sandbox sb) {
    conntrackFullStopsNothingWithoutCt(sb);
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
