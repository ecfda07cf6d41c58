package io.podpath.agent.checks;

import io.podpath.agent.checks.parse.KubeProxyRules;
import io.podpath.agent.checks.parse.KubeProxyRules.Portal;
import io.podpath.agent.ip.IpLiteral;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Every Service port of the inventory is programmed on the node: as an OVN Southbound load balancer
 * VIP on OVN nodes, else as a kube-proxy KUBE-SERVICES rule or an IPVS virtual service.
 */
public final class ServiceProgrammingCheck implements Check {
  public static final String ID = "service-programming";

  @Override
  public String id() {
    return ID;
  }

  @Override
  public CheckResult run(CheckContext ctx) {
    Findings f = new Findings(ID);
    Set<Portal> wanted = wanted(ctx.cluster());
    if (wanted.isEmpty()) {
      return f.notApplicable("no Service with a cluster IP in the inventory");
    }
    try {
      boolean ovn = ctx.ovs().snapshot().isOvn();
      Set<Portal> missing;
      String where;
      if (ovn) {
        Set<String> vips = ctx.ovs().southboundLoadBalancerVips();
        f.evidence("OVN Southbound Load_Balancer vips", new TreeSet<>(vips));
        missing = new TreeSet<>(Comparator.comparing(Portal::toString));
        for (Portal p : wanted) {
          String key =
              p.ip().contains(":") ? "[" + p.ip() + "]:" + p.port() : p.ip() + ":" + p.port();
          if (!vips.contains(key)) {
            missing.add(p);
          }
        }
        where = "OVN load balancers";
      } else {
        CommandOutput save = Reads.run(ctx, f, List.of("iptables-save", "-t", "nat"));
        if (save.ok() && KubeProxyRules.hasKubeServicesChain(save.stdout())) {
          missing = minus(wanted, KubeProxyRules.iptablesPortals(save.stdout()));
          where = "iptables KUBE-SERVICES";
        } else {
          CommandOutput ipvs = Reads.run(ctx, f, List.of("ipvsadm", "-Ln"));
          if (KubeProxyRules.ipvsAbsent(ipvs.exitCode(), ipvs.stderr())) {
            return f.notApplicable(
                "no KUBE-SERVICES chain and IPVS absent from the kernel:"
                    + " this node is not programmed by kube-proxy");
          }
          if (!ipvs.ok()) {
            throw Reads.failed(ipvs);
          }
          missing = minus(wanted, KubeProxyRules.ipvsPortals(ipvs.stdout()));
          where = "IPVS";
        }
      }
      if (!missing.isEmpty()) {
        f.problem(
            CheckStatus.FAIL,
            missing.size() + " Service port(s) not programmed in " + where + ": " + missing,
            "The Service proxy (kube-proxy or ovnkube) has not programmed these Services:"
                + " check its log and its connection to the API server.");
      }
      return f.result("all " + wanted.size() + " Service ports programmed in " + where);
    } catch (AccessException e) {
      return f.unknown("could not read Service programming: " + e.getMessage());
    }
  }

  static Set<Portal> wanted(ClusterFacts cluster) {
    Set<Portal> out = new LinkedHashSet<>();
    for (ClusterFacts.Service s : cluster.services()) {
      for (String ip : s.clusterIps()) {
        if (IpLiteral.tryParse(ip).isEmpty()) {
          continue; // headless ("None") Services have no portal
        }
        for (ClusterFacts.Port p : s.ports()) {
          out.add(new Portal(ip, p.protocol(), p.port()));
        }
      }
    }
    return out;
  }

  private static Set<Portal> minus(Set<Portal> wanted, Set<Portal> present) {
    Set<Portal> out = new LinkedHashSet<>(wanted);
    out.removeAll(present);
    return out;
  }
}
