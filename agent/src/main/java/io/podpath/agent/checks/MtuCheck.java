package io.podpath.agent.checks;

import io.podpath.agent.errors.ProtocolException;
import io.podpath.agent.ip.IpArgv;
import io.podpath.agent.ip.IpJson;
import io.podpath.agent.ip.IpLink;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Pod MTU against the underlay MTU minus the encapsulation overhead of the tunnel type in use, and
 * the pods' MTUs against each other. The active, packet-level probe is the aggregator's.
 */
public final class MtuCheck implements Check {
  public static final String ID = "mtu";

  @Override
  public String id() {
    return ID;
  }

  @Override
  public CheckResult run(CheckContext ctx) {
    Findings f = new Findings(ID);
    try {
      OvsSnapshot snap = ctx.ovs().snapshot();
      List<IpLink> links = IpJson.links(Reads.run(ctx, f, IpArgv.linkShow()).stdout());
      Map<String, Integer> podMtus = podMtus(ctx, f, snap, links);
      if (podMtus.isEmpty()) {
        return f.notApplicable("no pod interface on this node");
      }
      TreeSet<Integer> distinct = new TreeSet<>(podMtus.values());
      if (distinct.size() > 1) {
        f.problem(
            CheckStatus.WARN,
            "pods disagree on the MTU: " + podMtus,
            "Give every pod the same MTU (the CNI's configured MTU) and restart the odd ones.");
      }
      List<TunnelBudget> budgets =
          TunnelBudget.of(
              ctx, f, snap, IpJson.links(Reads.run(ctx, f, IpArgv.addrShow()).stdout()));
      if (budgets.isEmpty()) {
        f.evidence("encapsulation", "no working tunnel port");
        return f.result("pods share MTU " + distinct.first() + "; no tunnel on this node");
      }
      budgets.forEach(b -> f.evidence("tunnel " + b.port(), b.describe()));
      TunnelBudget tight =
          budgets.stream().min(java.util.Comparator.comparingInt(TunnelBudget::allowed)).get();
      int allowed = tight.allowed();
      f.evidence("largest pod MTU allowed", tight.describe());
      podMtus.forEach(
          (pod, mtu) -> {
            if (mtu > allowed) {
              f.problem(
                  CheckStatus.FAIL,
                  pod + " MTU " + mtu + " > " + allowed + " (tunnel " + tight.describe() + ")",
                  "Lower the pod MTU to "
                      + allowed
                      + " or below (CNI MTU setting), or raise the underlay "
                      + tight.underlay()
                      + " MTU to "
                      + (Math.max(mtu, distinct.last()) + tight.overhead())
                      + ": full-size packets are silently dropped at the tunnel.");
            }
          });
      return f.result(
          "pod MTU "
              + distinct.last()
              + " fits every tunnel ("
              + budgets.size()
              + " ports; tightest "
              + tight.describe()
              + ")");
    } catch (AccessException | ProtocolException e) {
      return f.unknown("could not read MTUs: " + e.getMessage());
    }
  }

  /** Host-side veth MTU per pod port, and the pod's own eth0 where the pod is known locally. */
  private static Map<String, Integer> podMtus(
      CheckContext ctx, Findings f, OvsSnapshot snap, List<IpLink> links) {
    Map<String, Integer> out = new TreeMap<>();
    for (OvsSnapshot.Iface i : snap.interfaces()) {
      if (i.ifaceId().isEmpty() || i.isTunnel() || PodPlumbingCheck.isManagementPort(i)) {
        continue;
      }
      IpLink.named(links, i.name()).ifPresent(l -> out.put("veth " + l.name(), l.mtu()));
    }
    for (ClusterFacts.LocalPod p : ctx.cluster().localPods()) {
      try {
        CommandOutput o = ctx.pods().run(p.pod(), IpArgv.linkShow("eth0"));
        if (o.ok()) {
          IpJson.links(o.stdout()).stream()
              .findFirst()
              .ifPresent(
                  l -> {
                    f.evidence("pod " + p.pod() + ": " + o.commandLine(), "mtu " + l.mtu());
                    out.put("pod " + p.pod(), l.mtu());
                  });
        }
      } catch (AccessException | ProtocolException e) {
        f.evidence("pod " + p.pod(), "eth0 not readable: " + e.getMessage());
      }
    }
    return out;
  }
}
