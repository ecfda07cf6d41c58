package io.podpath.agent.checks;

import io.podpath.agent.checks.parse.KubeProxyRules;
import io.podpath.agent.checks.parse.KubeProxyRules.Portal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The NodePorts this node programs, as backends per {@link Portal#nodePort}: kube-proxy's
 * KUBE-NODEPORTS chain or its IPVS virtual services on node addresses; OVN-Kubernetes'
 * OVN-KUBE-NODEPORT DNAT to a cluster IP (whose backends are those of the load balancer this node
 * applies for that VIP) or a load balancer VIP on a node address. A Service's NodePorts are asked
 * for in each family it has a cluster IP of: IPv4 ones ({@link Portal#nodePort}) from
 * iptables-save, IPv6 ones ({@link Portal#nodePort6}) from ip6tables-save, where the IPv6 proxier
 * writes them.
 */
final class NodePorts {
  private NodePorts() {}

  /** kube-proxy iptables mode: KUBE-NODEPORTS reaches the endpoints itself. */
  static Map<Portal, Set<String>> kubeProxy(String iptablesSave) {
    return KubeProxyRules.nodePortTargets(iptablesSave, "KUBE-NODEPORTS");
  }

  /** The NodePorts of an {@code ip6tables-save}, keyed as the IPv6 NodePorts they are. */
  static Map<Portal, Set<String>> inIpv6(Map<Portal, Set<String>> nodePorts) {
    Map<Portal, Set<String>> out = new LinkedHashMap<>();
    nodePorts.forEach((np, targets) -> out.put(np.inIpv6(), targets));
    return out;
  }

  /**
   * IPVS: kube-proxy makes one virtual service per node address and NodePort; any virtual service
   * on a wanted NodePort whose address is no cluster IP counts for it.
   */
  static Map<Portal, Set<String>> fromVips(
      Map<Portal, Set<String>> vips, Set<String> clusterIps, Set<Portal> wanted) {
    Map<Portal, Set<String>> out = new LinkedHashMap<>();
    vips.forEach(
        (vip, backends) -> {
          Portal np =
              vip.isIpv6()
                  ? Portal.nodePort6(vip.protocol(), vip.port())
                  : Portal.nodePort(vip.protocol(), vip.port());
          if (!clusterIps.contains(vip.ip()) && wanted.contains(np)) {
            out.computeIfAbsent(np, k -> new TreeSet<>()).addAll(backends);
          }
        });
    return out;
  }

  /**
   * OVN-Kubernetes: OVN-KUBE-NODEPORT DNATs to "VIP:port"; that NodePort is programmed when the
   * VIP's load balancer is applied here (its backends count), or when it DNATs straight to an
   * endpoint (no cluster IP). A NodePort whose every target is a VIP not applied here is left out,
   * with the reason in {@code hint}. Load balancer VIPs on node addresses (shared gateway) count as
   * well. {@code ipv6}: {@code iptablesSave} is ip6tables', whose NodePorts are the IPv6 ones.
   */
  static Map<Portal, Set<String>> ovn(
      String iptablesSave,
      Map<Portal, Set<String>> appliedVips,
      Set<String> clusterIps,
      Set<Portal> wanted,
      StringBuilder hint,
      boolean ipv6) {
    Map<Portal, Set<String>> out = fromVips(appliedVips, clusterIps, wanted);
    Map<Portal, Set<String>> rules =
        KubeProxyRules.nodePortTargets(iptablesSave, "OVN-KUBE-NODEPORT");
    (ipv6 ? inIpv6(rules) : rules)
        .forEach(
            (np, targets) -> {
              Set<String> backends = new TreeSet<>();
              boolean reached = false;
              for (String t : targets) {
                int colon = t.lastIndexOf(':');
                String ip = colon < 0 ? t : t.substring(0, colon).replace("[", "").replace("]", "");
                if (!clusterIps.contains(ip)) {
                  backends.add(t);
                  reached = true;
                  continue;
                }
                Set<String> viaLb = null;
                try {
                  viaLb =
                      appliedVips.get(
                          new Portal(ip, np.protocol(), Integer.parseInt(t.substring(colon + 1))));
                } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
                  // a DNAT target without a port: the cluster IP with every port, not a NodePort's
                }
                if (viaLb == null) {
                  hint.append("; ")
                      .append(np)
                      .append(" DNATs to ")
                      .append(t)
                      .append(", which no load balancer of this node serves");
                } else {
                  backends.addAll(viaLb);
                  reached = true;
                }
              }
              if (reached || targets.isEmpty()) {
                out.computeIfAbsent(np, k -> new TreeSet<>()).addAll(backends);
              }
            });
    return out;
  }
}
