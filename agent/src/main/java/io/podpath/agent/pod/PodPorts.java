package io.podpath.agent.pod;

import io.podpath.agent.cni.CniProfile;
import io.podpath.agent.cni.PodPortMapper;
import io.podpath.agent.cni.PodPortMatch;
import io.podpath.agent.ip.IpLink;
import io.podpath.agent.ovsdb.OvsState;
import io.podpath.agent.ovsdb.OvsState.OvsInterface;
import io.podpath.agent.ovsdb.OvsState.OvsPort;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A pod's OVS port as each CNI names it. Only some CNIs write the pod's name into OVSDB
 * (OVN-Kubernetes {@code iface-id=<ns>_<pod>}, Kube-OVN {@code iface-id=<pod>.<ns>}, Antrea's Port
 * {@code pod-name}/{@code pod-namespace}); OpenShift SDN and ACI do not, so their pods are found
 * from the pod's IP: the namespace holding it, then eth0@ifN → ifindex N → the OVS interface.
 */
final class PodPorts {
  private PodPorts() {}

  /** Whether this CNI writes the pod's name into OVSDB (so a name alone finds the port). */
  static boolean namesPods(CniProfile profile) {
    return profile.namesPods();
  }

  /** The interfaces whose ids name this pod (highest ofport first: the newest port wins). */
  static List<OvsInterface> byName(OvsState ovs, CniProfile profile, PodKey pod) {
    List<OvsInterface> out =
        switch (profile.cni()) {
          case OVN_KUBERNETES -> ovs.interfacesByIfaceId(pod.ifaceId());
          case KUBE_OVN -> ovs.interfacesByIfaceId(pod.name() + "." + pod.namespace());
          case ANTREA -> antrea(ovs, pod);
          case OPENSHIFT_SDN, ACI -> List.of();
        };
    return out.stream()
        .sorted(Comparator.comparingLong((OvsInterface i) -> i.ofport().orElse(-1)).reversed())
        .toList();
  }

  /** The pod a port's ids name, when the CNI writes names. */
  static Optional<PodKey> nameOf(OvsState ovs, CniProfile profile, OvsInterface iface) {
    Map<String, String> ids = iface.externalIds();
    switch (profile.cni()) {
      case OVN_KUBERNETES -> {
        return PodKey.fromIfaceId(ids.getOrDefault("iface-id", ""));
      }
      case KUBE_OVN -> {
        if (ids.containsKey("pod_name") && ids.containsKey("pod_namespace")) {
          return Optional.of(new PodKey(ids.get("pod_namespace"), ids.get("pod_name")));
        }
        return Optional.empty();
      }
      case ANTREA -> {
        Map<String, String> port = ovs.portOf(iface).map(OvsPort::externalIds).orElse(Map.of());
        if (port.containsKey("pod-name") && port.containsKey("pod-namespace")) {
          return Optional.of(new PodKey(port.get("pod-namespace"), port.get("pod-name")));
        }
        return Optional.empty();
      }
      default -> {
        return Optional.empty();
      }
    }
  }

  /**
   * Every port that may be a pod's: a plain interface (no type: not internal, patch or tunnel) on
   * the profile's pod bridge, those whose ids record {@code ip} first.
   */
  static List<OvsInterface> candidates(OvsState ovs, CniProfile profile, String ip) {
    List<OvsInterface> plain =
        ovs.interfaces().stream()
            .filter(i -> i.type().isEmpty())
            .filter(i -> profile.podBridge().equals(bridgeOf(ovs, i)))
            .filter(i -> profile.gatewayPort().map(g -> !g.equals(i.name())).orElse(true))
            .sorted(Comparator.comparing(OvsInterface::name))
            .toList();
    List<OvsInterface> out = new ArrayList<>();
    plain.stream().filter(i -> recordsIp(ovs, i, ip)).forEach(out::add);
    plain.stream().filter(i -> !recordsIp(ovs, i, ip)).forEach(out::add);
    return out;
  }

  /**
   * The generic mapping, from the pod's side: its eth0@ifN → host ifindex N → the OVS interface,
   * confirmed by the profile's external_ids.
   */
  static void confirm(
      OvsState ovs,
      CniProfile profile,
      List<IpLink> hostLinks,
      IpLink eth,
      List<Finding> findings) {
    Map<Integer, String> links = new HashMap<>();
    hostLinks.forEach(l -> links.put(l.ifindex(), l.name()));
    PodPortMatch m = PodPortMapper.map(ovs, profile, eth.linkIndex().orElse(0), links);
    if (m instanceof PodPortMatch.Unconfirmed u) {
      findings.add(
          Finding.warning(
              "pod-port-unconfirmed",
              "the pod's eth0 leads to OVS interface "
                  + u.hostVeth()
                  + " by ifindex, but the "
                  + profile.cni()
                  + " profile does not confirm it: "
                  + String.join(", ", u.missing())
                  + " (expected "
                  + profile.podPortIds().describe()
                  + ")"));
    } else if (m instanceof PodPortMatch.NotInOvs n) {
      findings.add(Finding.error("pod-port-not-in-ovs", n.reason()));
    }
  }

  static String bridgeOf(OvsState ovs, OvsInterface iface) {
    return ovs.portOf(iface).flatMap(ovs::bridgeOf).map(OvsState.OvsBridge::name).orElse("");
  }

  private static List<OvsInterface> antrea(OvsState ovs, PodKey pod) {
    List<OvsInterface> out = new ArrayList<>();
    for (OvsPort p : ovs.ports()) {
      if (pod.name().equals(p.externalIds().get("pod-name"))
          && pod.namespace().equals(p.externalIds().get("pod-namespace"))) {
        ovs.interfaces().stream()
            .filter(i -> p.interfaceUuids().contains(i.uuid()))
            .forEach(out::add);
      }
    }
    return out;
  }

  /**
   * Whether the ids record this IP: OVN-Kubernetes {@code ip_addresses} (CIDRs), OpenShift SDN and
   * Kube-OVN {@code ip}, Antrea's Port {@code ip-address}; comma-separated lists allowed.
   */
  static boolean recordsIp(OvsState ovs, OvsInterface i, String ip) {
    Map<String, String> port = ovs.portOf(i).map(OvsPort::externalIds).orElse(Map.of());
    return listed(i.externalIds().get("ip_addresses"), ip)
        || listed(i.externalIds().get("ip"), ip)
        || listed(port.get("ip-address"), ip);
  }

  private static boolean listed(@Nullable String recorded, String ip) {
    if (recorded == null) {
      return false;
    }
    for (String cidr : recorded.split(",")) {
      String a = cidr.strip();
      int slash = a.indexOf('/');
      if (!a.isEmpty() && (slash < 0 ? a : a.substring(0, slash)).equals(ip)) {
        return true;
      }
    }
    return false;
  }
}
