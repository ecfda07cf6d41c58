package io.podpath.agent.checks;

import io.podpath.testkit.Mode;
import io.podpath.testkit.SandboxConfig;

/** {@link AciMatrix} on an IPv4 ACI sandbox. */
@SandboxConfig(nodes = 3, mode = Mode.ACI, apps = false)
class AciChecksSandboxTest extends AciMatrix {}
