package io.podpath.agent.checks;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The OVN load balancers as this node's pods meet them. A pod's packet to a VIP is DNATed by the
 * load balancers of the datapath it enters (its node's logical switch) or of the first router
 * behind it; a balancer applied only to other nodes' switches never sees it. A Load_Balancer row
 * applies here when one of its datapaths (directly or through its datapath group) is such an entry
 * datapath.
 *
 * @param localDatapaths names of the entry datapaths (logical switch/router names)
 * @param balancers every Southbound Load_Balancer, its datapaths by name
 */
public record OvnLoadBalancers(Set<String> localDatapaths, List<Lb> balancers) {
  public OvnLoadBalancers {
    localDatapaths = Set.copyOf(localDatapaths);
    balancers = List.copyOf(balancers);
  }

  /**
   * One Load_Balancer row. {@code protocol} lowercase ("tcp" when the row leaves it empty); {@code
   * vips} maps "ip:port" (or "[v6]:port") to "ip:port,ip:port" backends.
   */
  public record Lb(String name, String protocol, Map<String, String> vips, Set<String> datapaths) {
    public Lb {
      protocol = protocol == null || protocol.isEmpty() ? "tcp" : protocol;
      vips = Map.copyOf(vips);
      datapaths = Set.copyOf(datapaths);
    }
  }

  /** Balancers applied to a local datapath. */
  public List<Lb> appliedHere() {
    return balancers.stream()
        .filter(b -> b.datapaths().stream().anyMatch(localDatapaths::contains))
        .toList();
  }

  /** A patch Port_Binding: its datapath and its peer's logical port name. */
  public record Patch(String logicalPort, String datapath, String peer) {}

  /**
   * Where this node's pod traffic meets load balancers (uuids): the datapaths of the ports bound to
   * this chassis (the node's switch) and the routers one patch away (the first router hop DNATs
   * too). A switch further on (another node's) sees the packet only after that.
   */
  public static Set<String> entryDatapaths(Set<String> bound, List<Patch> patches) {
    Map<String, String> datapathOfPort = new HashMap<>();
    patches.forEach(p -> datapathOfPort.put(p.logicalPort(), p.datapath()));
    Set<String> out = new TreeSet<>(bound);
    for (Patch p : patches) {
      String other = datapathOfPort.get(p.peer());
      if (other != null && bound.contains(p.datapath())) {
        out.add(other);
      }
    }
    return out;
  }
}
