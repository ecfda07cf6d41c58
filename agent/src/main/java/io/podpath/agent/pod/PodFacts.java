package io.podpath.agent.pod;

import io.podpath.agent.cni.CniProfile;
import io.podpath.agent.ip.IpRoute;
import io.podpath.agent.ovsdb.OvsState.OvsInterface;
import java.util.List;

/**
 * What InspectPod reports (mapped to proto at the gRPC edge). Pod-side fields are empty/0 when the
 * pod's namespace was not found (a finding then says why).
 *
 * @param cni the --cni name of the profile that found the pod's port
 */
public record PodFacts(
    PodKey pod,
    String node,
    String netns,
    String podInterface,
    int ifindex,
    int iflink,
    String hostInterface,
    int hostIfindex,
    String bridge,
    String ovsPort,
    int ofport,
    String ifaceId,
    String mac,
    List<String> ips,
    int mtu,
    List<IpRoute> routes,
    List<Finding> findings,
    String cni) {

  /** The port side only: the pod's namespace was not found (the findings say why). */
  static PodFacts partial(
      String node,
      CniProfile profile,
      PodKey pod,
      OvsInterface iface,
      String bridge,
      String port,
      int ofport,
      List<Finding> f) {
    return new PodFacts(
        pod,
        node,
        "",
        "",
        0,
        0,
        iface.name(),
        (int) iface.ifindex().orElse(0),
        bridge,
        port,
        ofport,
        iface.externalIds().getOrDefault("iface-id", ""),
        "",
        List.of(),
        0,
        List.of(),
        List.copyOf(f),
        profile.cni().flagName());
  }

  /** A pod the cluster puts on {@code node} with no port: its facts are the one ERROR finding. */
  static PodFacts portMissing(String node, CniProfile profile, PodKey pod, Finding f) {
    return new PodFacts(
        pod,
        node,
        "",
        "",
        0,
        0,
        "",
        0,
        "",
        "",
        -1,
        pod.ifaceId(),
        "",
        List.of(),
        0,
        List.of(),
        List.of(f),
        profile.cni().flagName());
  }
}
