package io.podpath.aggregator.e2e;

import io.podpath.testkit.SandboxConfig;

/** OVN-Kubernetes: an OVN load balancer whose backends are the nodes' addresses. */
@SandboxConfig(nodes = 2)
class HostNetworkServiceSandboxTest extends HostNetworkServiceMatrix {
  @Override
  void installLoadBalancer() {
    String lb = "Service_default/hostnet_TCP_cluster";
    String backends = sb.nodeIp("node1") + ":" + PORT + "," + sb.nodeIp("node2") + ":" + PORT;
    run(
        "central",
        "ovn-nbctl",
        "--db=unix:" + sb.ovnNbSocket().orElseThrow(),
        "lb-add",
        lb,
        VIP + ":" + PORT,
        backends,
        "tcp",
        "--",
        "ls-lb-add",
        "node1",
        lb,
        "--",
        "ls-lb-add",
        "node2",
        lb);
  }
}
