package io.podpath.aggregator.e2e;

import io.podpath.testkit.Mode;
import io.podpath.testkit.Node;
import io.podpath.testkit.SandboxConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * Plain OVS with kube-proxy (iptables): each node's KUBE-SERVICES DNATs the VIP to one of the
 * nodes' addresses at random, as kube-proxy does for hostNetwork endpoints.
 */
@SandboxConfig(nodes = 2, mode = Mode.OVS)
class OvsHostNetworkServiceSandboxTest extends HostNetworkServiceMatrix {
  @Override
  void installLoadBalancer() {
    for (String node : sb.nodes().stream().map(Node::name).toList()) {
      run(node, dnat(1, sb.nodeIp("node1"), "--probability", "0.5"));
      run(node, dnat(2, sb.nodeIp("node2")));
    }
  }

  private static String[] dnat(int at, String backend, String... statistic) {
    List<String> argv =
        new ArrayList<>(
            List.of(
                "iptables",
                "-t",
                "nat",
                "-I",
                "KUBE-SERVICES",
                Integer.toString(at),
                "-d",
                VIP + "/32",
                "-p",
                "tcp",
                "--dport",
                Integer.toString(PORT)));
    if (statistic.length > 0) {
      argv.addAll(List.of("-m", "statistic", "--mode", "random"));
      argv.addAll(List.of(statistic));
    }
    argv.addAll(
        List.of(
            "-m",
            "comment",
            "--comment",
            "default/hostnet:http cluster IP",
            "-j",
            "DNAT",
            "--to-destination",
            backend + ":" + PORT));
    return argv.toArray(String[]::new);
  }
}
