package io.podpath.agent.checks;

import io.podpath.agent.cni.Cni;
import io.podpath.agent.cni.CniProfile;
import io.podpath.agent.errors.ProtocolException;
import io.podpath.agent.ip.IpArgv;
import io.podpath.agent.ip.IpJson;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Which pod an OVS interface belongs to, the node's CNI's way: OVN-Kubernetes (and a node without a
 * profile) by iface-id as before; every other CNI by the pod name its profile reads from the port's
 * external_ids, else a local pod's IP written there (OpenShift SDN's {@code ip}), else the generic
 * mapping (the pod's eth0@ifN → host ifindex → the interface of that name).
 */
final class PodPortNames {
  private final CheckContext ctx;
  private final Findings f;
  private final OvsSnapshot snap;
  private final Optional<CniProfile> profile;
  private @Nullable Map<String, String> byIfindex; // host veth → pod, read once when first needed

  PodPortNames(CheckContext ctx, Findings f, OvsSnapshot snap) {
    this.ctx = ctx;
    this.f = f;
    this.snap = snap;
    this.profile = ctx.ovs().cni().filter(p -> p.cni() != Cni.OVN_KUBERNETES);
  }

  /** Whether the interface is a pod's port (not a tunnel, gateway or management port). */
  boolean isPodPort(OvsSnapshot.Iface i) {
    if (profile.isEmpty()) {
      return PodPlumbingCheck.isPodPort(i);
    }
    CniProfile p = profile.get();
    return i.bridge().equals(p.podBridge())
        && !i.isTunnel()
        && !i.name().equals(p.gatewayPort().orElse(""))
        && (i.type().isEmpty() || i.type().equals("system"));
  }

  /** "pod NS/NAME" for a pod port, or what is known of it when no source names its pod. */
  String podOf(OvsSnapshot.Iface i) {
    if (profile.isEmpty()) {
      return "pod " + PodPlumbingCheck.podName(i.ifaceId());
    }
    CniProfile p = profile.get();
    Map<String, String> ids = snap.idsOf(i.name());
    Optional<String> named = p.podNameIn(ids);
    if (named.isPresent()) {
      return "pod " + named.get();
    }
    for (ClusterFacts.LocalPod pod : ctx.cluster().localPods()) {
      for (String v : ids.values()) {
        String ip = v.contains("/") ? v.substring(0, v.indexOf('/')) : v;
        if (pod.ips().contains(ip)) {
          return "pod " + pod.pod();
        }
      }
    }
    String veth = ifindexMap().get(i.name());
    if (veth != null) {
      return "pod " + veth;
    }
    return "a pod whose name this node does not show ("
        + p.cni()
        + " wrote no pod name or local pod IP on the port, and no local pod's eth0 leads to "
        + i.name()
        + ")";
  }

  private Map<String, String> ifindexMap() {
    Map<String, String> known = byIfindex;
    if (known != null) {
      return known;
    }
    Map<String, String> m = new HashMap<>();
    byIfindex = m;
    try {
      PodPortKeys keys =
          PodPortKeys.of(ctx, snap, IpJson.links(Reads.run(ctx, f, IpArgv.linkShow()).stdout()));
      keys.expected().forEach((pod, veth) -> m.put(veth, pod.toString()));
    } catch (AccessException | ProtocolException e) {
      f.evidence("pod ports by ifindex", "not readable: " + e.getMessage());
    }
    return m;
  }
}
