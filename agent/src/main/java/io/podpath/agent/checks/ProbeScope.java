package io.podpath.agent.checks;

import io.podpath.agent.ip.IpLiteral;
import io.podpath.agent.ip.IpPrefix;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Where a probe (and a live trace's one packet) may go: inside the cluster as this node sees it, or
 * inside a prefix the operator allowed with {@code --probe-allow}. Without it, a client holding the
 * aggregator's certificate could send packets from any pod to any address of the Internet.
 *
 * <p>Inside the cluster is: an address the node routes by a cluster-side port (an OVS internal port
 * on the CNI's pod bridge, e.g. OVN-Kubernetes' management port or OpenShift SDN's tun0: the pod
 * and, when routed there, Service networks), an address of this node, a peer node's tunnel
 * endpoint, or a local pod's address. The node's uplink, even an OVS bridge port such as breth0, is
 * not cluster-side: its directly connected subnet holds other hosts too.
 */
public final class ProbeScope {
  private final List<IpPrefix> allowed;

  public ProbeScope(List<IpPrefix> allowed) {
    this.allowed = List.copyOf(allowed);
  }

  public List<IpPrefix> allowed() {
    return allowed;
  }

  /** The kernel's route to the destination in the node's netns ({@code ip route get}). */
  public record Route(String type, String device, String gateway) {}

  /**
   * What the node shows, read for one destination.
   *
   * @param route empty when the node has no route (then {@code routeProblem} says why)
   * @param clusterDevices host-side OVS ports of the CNI's pod bridge
   * @param clusterNote why {@code clusterDevices} is empty when it is (no CNI profile matched)
   * @param tunnelPeers the remote IPs of this node's OVS tunnel ports (other nodes)
   * @param localPods the addresses OVSDB records for this node's pods
   */
  public record NodeView(
      String nodeName,
      Optional<Route> route,
      String routeProblem,
      Set<String> clusterDevices,
      String clusterNote,
      Set<InetAddress> tunnelPeers,
      Set<InetAddress> localPods) {
    public NodeView {
      clusterDevices = Set.copyOf(clusterDevices);
      tunnelPeers = Set.copyOf(tunnelPeers);
      localPods = Set.copyOf(localPods);
    }
  }

  /** The outcome: inside (and why), or outside with the message the caller sees. */
  public sealed interface Verdict {
    record Inside(String why) implements Verdict {}

    record Outside(String message) implements Verdict {}
  }

  /** The {@code --probe-allow} prefix covering {@code dst}, if any: no node read is needed then. */
  public Optional<IpPrefix> allowedByFlag(InetAddress dst) {
    return allowed.stream().filter(p -> p.contains(dst)).findFirst();
  }

  public Verdict judge(InetAddress dst, NodeView node) {
    Optional<IpPrefix> flag = allowedByFlag(dst);
    if (flag.isPresent()) {
      return new Verdict.Inside("inside --probe-allow " + flag.get());
    }
    if (node.localPods().contains(dst)) {
      return new Verdict.Inside("a pod on " + node.nodeName());
    }
    if (node.tunnelPeers().contains(dst)) {
      return new Verdict.Inside("a node: the remote end of a tunnel from " + node.nodeName());
    }
    Optional<Route> r = node.route();
    if (r.isPresent() && r.get().type().equals("local")) {
      return new Verdict.Inside("an address of " + node.nodeName());
    }
    // unicast or the pod network's broadcast: either way the packet enters the cluster network
    if (r.isPresent() && node.clusterDevices().contains(r.get().device())) {
      return new Verdict.Inside(
          node.nodeName() + " routes it into the cluster network by " + r.get().device());
    }
    return new Verdict.Outside(outside(dst, node));
  }

  private static String outside(InetAddress dst, NodeView node) {
    String ip = IpLiteral.format(dst);
    StringBuilder m = new StringBuilder("destination ").append(ip);
    m.append(" is outside the cluster as ").append(node.nodeName()).append(" sees it: ");
    Optional<Route> r = node.route();
    if (r.isEmpty()) {
      m.append("it has no route to it (").append(node.routeProblem()).append(')');
    } else {
      m.append("it routes it by ").append(r.get().device().isEmpty() ? "?" : r.get().device());
      if (!r.get().gateway().isEmpty()) {
        m.append(" via ").append(r.get().gateway());
      }
      if (!r.get().type().equals("unicast")) {
        m.append(" (").append(r.get().type()).append(')');
      }
      m.append(", not by a cluster-side port");
      if (node.clusterDevices().isEmpty()) {
        m.append(" (").append(node.clusterNote()).append(')');
      } else {
        m.append(" (").append(String.join(", ", new TreeSet<>(node.clusterDevices()))).append(')');
      }
    }
    m.append(", and it is no local pod or node address. Probes and live traces send only inside")
        .append(" the cluster; to allow this address, run the agent with --probe-allow ")
        .append(ip)
        .append(dst instanceof Inet4Address ? "/32" : "/128")
        .append(" (or a wider CIDR; Helm value agent.probeAllow)");
    return m.toString();
  }
}
