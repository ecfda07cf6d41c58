package io.podpath.agent.checks;

import io.podpath.agent.cni.Cni;
import io.podpath.agent.cni.CniProfile;
import io.podpath.agent.errors.ProtocolException;
import io.podpath.agent.ip.IpArgv;
import io.podpath.agent.ip.IpJson;
import io.podpath.agent.ip.IpLink;
import io.podpath.agent.pod.PodKey;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The node's pod ports and the local pods, keyed alike so pod-plumbing can match them.
 * OVN-Kubernetes is keyed by its {@code iface-id=<ns>_<pod>}; every other CNI (OpenShift SDN and
 * ACI name no pod, Antrea names it on the Port row, Kube-OVN as {@code <pod>.<ns>}) by the
 * interface name, a pod reaching its port the generic way: its eth0@ifN → host ifindex N → the OVS
 * interface of that name.
 *
 * @param ports key → pod port
 * @param expected local pod → key of its port (absent when it could not be found)
 * @param unfound local pods whose port could not be reached, with why
 * @param names key → how a report names the pod
 * @param byIfindex true when keyed by interface name (the pods were found by ifindex)
 */
record PodPortKeys(
    Map<String, OvsSnapshot.Iface> ports,
    Map<PodKey, String> expected,
    Map<PodKey, String> unfound,
    Map<String, String> names,
    boolean byIfindex) {

  static PodPortKeys of(CheckContext ctx, OvsSnapshot snap, List<IpLink> hostLinks) {
    Optional<CniProfile> cni = ctx.ovs().cni();
    if (cni.isEmpty() || cni.get().cni() == Cni.OVN_KUBERNETES) {
      return byIfaceId(ctx, snap);
    }
    return byIfindex(ctx, snap, hostLinks, cni.get());
  }

  private static PodPortKeys byIfaceId(CheckContext ctx, OvsSnapshot snap) {
    Map<String, OvsSnapshot.Iface> ports =
        snap.interfaces().stream()
            .filter(PodPlumbingCheck::isPodPort)
            .collect(
                Collectors.toMap(
                    OvsSnapshot.Iface::ifaceId, Function.identity(), (a, b) -> a, TreeMap::new));
    Map<PodKey, String> expected = new LinkedHashMap<>();
    ctx.cluster().localPods().forEach(p -> expected.put(p.pod(), p.pod().ifaceId()));
    Map<String, String> names = new TreeMap<>();
    ports.keySet().forEach(id -> names.put(id, PodPlumbingCheck.podName(id)));
    expected.values().forEach(id -> names.put(id, PodPlumbingCheck.podName(id)));
    return new PodPortKeys(ports, expected, Map.of(), names, false);
  }

  private static PodPortKeys byIfindex(
      CheckContext ctx, OvsSnapshot snap, List<IpLink> hostLinks, CniProfile profile) {
    String gateway = profile.gatewayPort().orElse("");
    Map<String, OvsSnapshot.Iface> ports = new TreeMap<>();
    for (OvsSnapshot.Iface i : snap.interfaces()) {
      if (i.bridge().equals(profile.podBridge())
          && !i.isTunnel()
          && !i.name().equals(gateway)
          && (i.type().isEmpty() || i.type().equals("system"))) {
        ports.put(i.name(), i);
      }
    }
    Map<PodKey, String> expected = new LinkedHashMap<>();
    Map<PodKey, String> unfound = new LinkedHashMap<>();
    Map<String, String> names = new TreeMap<>();
    ports.keySet().forEach(n -> names.put(n, "(none known here) of port " + n));
    for (ClusterFacts.LocalPod p : ctx.cluster().localPods()) {
      try {
        CommandOutput o = ctx.pods().run(p.pod(), IpArgv.linkShow("eth0"));
        Optional<IpLink> eth0 =
            o.ok() ? IpJson.links(o.stdout()).stream().findFirst() : Optional.empty();
        Optional<IpLink> veth =
            eth0.flatMap(e -> e.linkIndex().isPresent() ? Optional.of(e) : Optional.empty())
                .flatMap(
                    e ->
                        hostLinks.stream()
                            .filter(l -> l.ifindex() == e.linkIndex().getAsInt())
                            .findFirst());
        if (veth.isEmpty()) {
          unfound.put(p.pod(), "its eth0@ifN leads to no host interface");
          continue;
        }
        expected.put(p.pod(), veth.get().name());
        names.put(veth.get().name(), p.pod().toString());
      } catch (AccessException e) {
        unfound.put(p.pod(), e.getMessage());
      } catch (ProtocolException e) {
        unfound.put(p.pod(), "eth0 unreadable: " + e.getMessage());
      }
    }
    return new PodPortKeys(ports, expected, unfound, names, true);
  }

  String name(String key) {
    return names.getOrDefault(key, key);
  }
}
