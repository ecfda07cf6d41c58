package io.podpath.agent.kernel;

import io.podpath.testkit.Pod;
import io.podpath.testkit.Sandbox;
import io.podpath.testkit.SandboxConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * IPv4: local, remote and external destinations, forwarded lookups ({@code from}, {@code iif}), a
 * mark, an unknown device and a refused lookup answer alike over rtnetlink and iproute2.
 */
@SandboxConfig(apps = false)
class NetlinkRouteLookupSandboxTest extends RouteLookupAgreement {
  @Override
  List<Query> queries(Sandbox sb) {
    IpAddr ext = ip(sb.externalIp());
    List<Query> q = new ArrayList<>();
    for (String dst :
        List.of(
            sb.externalIp(),
            sb.nodeIp("node1"),
            sb.nodeIp("node2"),
            sb.serviceIp(),
            "127.0.0.1",
            "203.0.113.9")) {
      q.add(Query.to(ip(dst), 0));
      q.add(Query.to(ip(dst), 0x10));
    }
    for (Pod p : sb.pods()) {
      IpAddr pod = ip(p.ip());
      q.add(Query.to(pod, 0));
      // a pod's packet forwarded by the node: from the pod, in through the management port
      q.add(Query.forwarded(ext, pod, "ovn-k8s-mp0"));
      // the same from a device it does not arrive on (rp_filter's question)
      q.add(Query.forwarded(ext, pod, "br-phy"));
    }
    q.add(Query.forwarded(ext, ip(sb.pods().get(0).ip()), "nosuch0"));
    return q;
  }
}
