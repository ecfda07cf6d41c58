package io.podpath.agent.checks;

import io.podpath.testkit.Mode;
import io.podpath.testkit.SandboxConfig;

/** {@link KubeOvnMatrix} on an IPv4 Kube-OVN sandbox. */
@SandboxConfig(nodes = 3, mode = Mode.KUBE_OVN, apps = false)
class KubeOvnChecksSandboxTest extends KubeOvnMatrix {}
