package io.podpath.agent.kernel;

import io.podpath.testkit.IpFamily;
import io.podpath.testkit.Pod;
import io.podpath.testkit.Sandbox;
import io.podpath.testkit.SandboxConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * IPv6 (AF_INET6 RTM_GETROUTE against {@code ip -6 -j route get}) on an IPv6-only sandbox:
 * external, local, pod and refused destinations, forwarded lookups from a pod through the
 * management port, a mark and an unknown device answer alike.
 */
@SandboxConfig(apps = false, nodes = 2, ipFamily = IpFamily.IPV6)
class Ipv6NetlinkRouteLookupSandboxTest extends RouteLookupAgreement {
  @Override
  List<Query> queries(Sandbox sb) {
    IpAddr ext = ip(sb.externalIp(6));
    List<Query> q = new ArrayList<>();
    for (String dst : List.of(sb.externalIp(6), sb.serviceIp(6), "::1", "2001:db8::9")) {
      q.add(Query.to(ip(dst), 0));
      q.add(Query.to(ip(dst), 0x10));
    }
    for (Pod p : sb.pods()) {
      IpAddr pod = ip(p.ip(6));
      q.add(Query.to(pod, 0));
      q.add(Query.forwarded(ext, pod, "ovn-k8s-mp0"));
      q.add(Query.forwarded(pod, ext, "br-phy"));
    }
    q.add(Query.forwarded(ext, ip(sb.pods().get(0).ip(6)), "nosuch0"));
    return q;
  }
}
