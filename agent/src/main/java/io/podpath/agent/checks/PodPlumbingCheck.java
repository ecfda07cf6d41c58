package io.podpath.agent.checks;

import io.podpath.agent.errors.ProtocolException;
import io.podpath.agent.ip.IpArgv;
import io.podpath.agent.ip.IpJson;
import io.podpath.agent.ip.IpLink;
import io.podpath.agent.pod.PodKey;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Every pod of the node has a working port: an OVS interface with an ofport and no error, its host
 * veth present and up (a veth is down when its peer, the pod's eth0, is gone or down), and the
 * pod's eth0 up. Reported too: host veths on no bridge (left behind by a CNI DEL that did not
 * finish) and OVS pod ports of pods the cluster does not put here. Everything is named by pod.
 */
public final class PodPlumbingCheck implements Check {
  public static final String ID = "pod-plumbing";

  @Override
  public String id() {
    return ID;
  }

  /** OVN-Kubernetes' management port (iface-id k8s-NODE) carries host traffic, not a pod. */
  static boolean isManagementPort(OvsSnapshot.Iface i) {
    return i.ifaceId().startsWith("k8s-") || i.name().equals("ovn-k8s-mp0");
  }

  static boolean isPodPort(OvsSnapshot.Iface i) {
    return !i.ifaceId().isEmpty()
        && !i.isTunnel()
        && !isManagementPort(i)
        && (i.type().isEmpty() || i.type().equals("system"));
  }

  static String podName(String ifaceId) {
    return PodKey.fromIfaceId(ifaceId).map(PodKey::toString).orElse("iface-id " + ifaceId);
  }

  /** A pod whose plumbing broke: the CNI plumbs a new pod, nobody repairs the old one. */
  static String recreate(String agent) {
    return "The pod's network plumbing is broken: delete the pod so its controller recreates it"
        + " (the CNI plumbs it anew), and look at the log of "
        + agent
        + " on this node for why it broke.";
  }

  @Override
  public CheckResult run(CheckContext ctx) {
    Findings f = new Findings(ID);
    OvsSnapshot snap;
    List<IpLink> links;
    List<IpLink> veths;
    try {
      snap = ctx.ovs().snapshot();
      links = IpJson.links(Reads.run(ctx, f, IpArgv.linkShow()).stdout());
      veths = IpJson.links(Reads.run(ctx, f, IpArgv.vethShow()).stdout());
    } catch (AccessException | ProtocolException e) {
      return f.unknown("could not read the node's ports: " + e.getMessage());
    }
    PodPortKeys keys = PodPortKeys.of(ctx, snap, links);
    Map<String, OvsSnapshot.Iface> ports = keys.ports();
    f.evidence(keys.byIfindex() ? "pod ports (by name)" : "pod ports (iface-id)", ports.keySet());
    Set<String> expected = new TreeSet<>(keys.expected().values());
    f.evidence(
        keys.byIfindex() ? "pods expected here (their eth0@ifN's host veth)" : "pods expected here",
        keys.byIfindex() ? keys.expected() : expected);
    if (expected.isEmpty() && ports.isEmpty() && keys.unfound().isEmpty()) {
      return f.notApplicable("no pod expected on this node and none plumbed");
    }
    String agent = NodeAgent.of(ctx, snap);
    String recreate = recreate(agent);
    for (Map.Entry<String, OvsSnapshot.Iface> e : ports.entrySet()) {
      OvsSnapshot.Iface port = e.getValue();
      String pod = keys.name(e.getKey());
      if (port.ofport() <= 0 || !port.error().isEmpty()) {
        f.problem(
            CheckStatus.FAIL,
            "pod "
                + pod
                + ": OVS port "
                + port.name()
                + " has ofport "
                + port.ofport()
                + (port.error().isEmpty() ? "" : ", error \"" + port.error() + "\""),
            recreate);
        continue;
      }
      Optional<IpLink> veth = IpLink.named(links, port.name());
      if (veth.isEmpty()) {
        f.problem(
            CheckStatus.FAIL,
            "pod " + pod + ": host interface " + port.name() + " of its OVS port is gone",
            recreate);
      } else if (!up(veth.get())) {
        f.problem(
            CheckStatus.FAIL,
            "pod "
                + pod
                + ": host veth "
                + port.name()
                + " is "
                + veth.get().operstate()
                + " (its peer, the pod's eth0, is down or gone)",
            recreate);
      }
    }
    Set<String> missing = new TreeSet<>(expected);
    missing.removeAll(ports.keySet());
    String unplumbed =
        "The CNI did not plumb this pod (or lost its port): look at the log of "
            + agent
            + " on this node, then delete the pod so its controller recreates it.";
    for (String id : missing) {
      f.problem(
          CheckStatus.FAIL,
          "pod "
              + keys.name(id)
              + (keys.byIfindex()
                  ? " has no port on the bridge (its host veth " + id + " is on no OVS bridge)"
                  : " has no port on the bridge (no OVS interface with iface-id " + id + ")"),
          unplumbed);
    }
    keys.unfound()
        .forEach(
            (pod, why) ->
                f.problem(
                    CheckStatus.FAIL,
                    "pod " + pod + ": no pod port of this node leads to it (" + why + ")",
                    unplumbed));
    podLinks(ctx, f, keys, recreate);
    if (!expected.isEmpty()) {
      Map<String, OvsSnapshot.Iface> orphans = new TreeMap<>(ports);
      orphans.keySet().removeAll(expected);
      for (Map.Entry<String, OvsSnapshot.Iface> o : orphans.entrySet()) {
        String name = o.getValue().name();
        if (keys.byIfindex() && !keys.unfound().isEmpty()) {
          // a local pod that could not be matched may own it (an IPv6 eth0 set down loses its
          // address), so the port is not called another node's pod's
          f.problem(
              CheckStatus.WARN,
              "OVS port "
                  + name
                  + " leads to none of this node's pods; it may be the port of "
                  + keys.unfound().keySet()
                  + ", whose ports could not be matched",
              "Repair those pods first; if "
                  + name
                  + " is still unmatched it is leaked: remove it"
                  + " (ovs-vsctl del-port "
                  + name
                  + "; ip link del "
                  + name
                  + ").");
          continue;
        }
        f.problem(
            CheckStatus.WARN,
            "OVS port " + name + " of pod " + keys.name(o.getKey()) + ", which is not on this node",
            "A leaked port of a deleted or moved pod: remove it (ovs-vsctl del-port "
                + name
                + "; ip link del "
                + name
                + ").");
      }
    }
    Set<String> onBridges =
        snap.interfaces().stream().map(OvsSnapshot.Iface::name).collect(Collectors.toSet());
    Set<String> leftover = new TreeSet<>();
    for (IpLink v : veths) {
      if (!onBridges.contains(v.name()) && Reads.validIfname(v.name())) {
        leftover.add(v.name() + " (" + v.operstate() + ")");
      }
    }
    f.evidence("host veths on no OVS bridge", leftover);
    if (!leftover.isEmpty()) {
      f.problem(
          CheckStatus.WARN,
          "host veths that belong to no pod port (on no OVS bridge): " + leftover,
          "Left behind by a pod deletion that did not finish: remove each with ip link del NAME"
              + " once no pod uses it.");
    }
    return f.result(ports.size() + " pod ports, every expected pod plumbed with its interfaces up");
  }

  /** UP, or UNKNOWN (a link that reports no state, e.g. a tap some drivers keep UNKNOWN). */
  private static boolean up(IpLink l) {
    return l.operstate().equals("UP")
        || (l.operstate().equals("UNKNOWN") && l.flags().contains("UP"));
  }

  /** Each expected pod's eth0, read inside its netns: present and up. */
  private static void podLinks(CheckContext ctx, Findings f, PodPortKeys keys, String recreate) {
    for (ClusterFacts.LocalPod p : ctx.cluster().localPods()) {
      String key = keys.expected().get(p.pod());
      OvsSnapshot.Iface port = key == null ? null : keys.ports().get(key);
      if (port == null || port.ofport() <= 0 || !port.error().isEmpty()) {
        continue; // already reported by its port
      }
      try {
        CommandOutput o = ctx.pods().run(p.pod(), IpArgv.linkShow("eth0"));
        f.evidence("pod " + p.pod() + ": " + o.commandLine(), Reads.summary(o));
        Optional<IpLink> eth0 =
            o.ok() ? IpJson.links(o.stdout()).stream().findFirst() : Optional.empty();
        if (eth0.isEmpty()) {
          f.problem(CheckStatus.FAIL, "pod " + p.pod() + " has no eth0", recreate);
        } else if (!up(eth0.get())) {
          f.problem(
              CheckStatus.FAIL,
              "pod " + p.pod() + ": eth0 is " + eth0.get().operstate(),
              "Bring it up (ip link set eth0 up in the pod's netns) or recreate the pod.");
        }
      } catch (AccessException | ProtocolException e) {
        f.evidence("pod " + p.pod(), "eth0 not readable: " + e.getMessage());
      }
    }
  }
}
