package io.podpath.agent.checks;

import io.podpath.agent.errors.ProtocolException;
import io.podpath.agent.ip.IpArgv;
import io.podpath.agent.ip.IpJson;
import io.podpath.agent.ip.IpLink;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
      Optional<Encap> encap = Encap.of(snap);
      Optional<String> encapIp = snap.encapIp();
      if (encap.isEmpty() || encapIp.isEmpty()) {
        f.evidence("encapsulation", "none configured");
        return f.result("pods share MTU " + distinct.first() + "; no tunnel on this node");
      }
      Optional<IpLink> underlay =
          IpLink.holding(
              IpJson.links(Reads.run(ctx, f, IpArgv.addrShow()).stdout()), encapIp.get());
      if (underlay.isEmpty()) {
        f.problem(CheckStatus.UNKNOWN, "no interface holds the encap IP " + encapIp.get(), "");
        return f.result("");
      }
      int overhead = encap.get().overhead() + (encapIp.get().contains(":") ? 20 : 0);
      int allowed = underlay.get().mtu() - overhead;
      f.evidence("underlay " + underlay.get().name(), "mtu " + underlay.get().mtu());
      f.evidence("encapsulation", encap.get().why() + " = " + overhead + " bytes");
      f.evidence(
          "largest pod MTU allowed", underlay.get().mtu() + " - " + overhead + " = " + allowed);
      podMtus.forEach(
          (pod, mtu) -> {
            if (mtu > allowed) {
              f.problem(
                  CheckStatus.FAIL,
                  pod
                      + " MTU "
                      + mtu
                      + " > "
                      + allowed
                      + " (underlay "
                      + underlay.get().name()
                      + " "
                      + underlay.get().mtu()
                      + " - "
                      + overhead
                      + " "
                      + encap.get().type()
                      + ")",
                  "Lower the pod MTU to "
                      + allowed
                      + " or below (CNI MTU setting), or raise the"
                      + " underlay MTU to "
                      + (Math.max(mtu, distinct.last()) + overhead)
                      + ": full-size packets are silently dropped at the tunnel.");
            }
          });
      return f.result(
          "pod MTU "
              + distinct.last()
              + " fits the underlay ("
              + underlay.get().mtu()
              + " - "
              + overhead
              + " "
              + encap.get().type()
              + " = "
              + allowed
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
