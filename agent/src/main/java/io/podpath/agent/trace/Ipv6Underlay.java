package io.podpath.agent.trace;

import io.podpath.agent.exec.CommandResult;
import io.podpath.agent.ip.IpArgv;
import io.podpath.agent.ip.IpJson;
import io.podpath.agent.ip.IpRoute;
import io.podpath.agent.kernel.NodeAccess;
import java.net.InetAddress;
import java.util.Optional;

/**
 * The underlay route to a tunnel's IPv6 remote, as the node's kernel picks it ({@code ip -j route
 * get ADDR}): its device and the route's own MTU (0 when it has none). Empty when the kernel has no
 * usable route (unreachable, no device).
 */
final class Ipv6Underlay {
  private Ipv6Underlay() {}

  static Optional<KernelStage.Underlay> route(NodeAccess access, InetAddress remote) {
    CommandResult r = access.run(IpArgv.routeGet(remote));
    if (!r.ok()) {
      return Optional.empty();
    }
    IpRoute route = IpJson.routeGet(r.stdout());
    if (!route.type().equals("unicast") || route.device().isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new KernelStage.Underlay(route.device(), route.mtu()));
  }
}
