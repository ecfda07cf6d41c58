package io.podpath.agent.cni;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One profile per CNI, from the public facts of each CNI's own code (docs/platform-facts.md says
 * which release each follows).
 */
public final class CniProfiles {
  private CniProfiles() {}

  public static CniProfile of(Cni cni) {
    return switch (cni) {
      case OVN_KUBERNETES -> ovnKubernetes();
      case OPENSHIFT_SDN -> openshiftSdn();
      case ACI -> aci();
      case ANTREA -> antrea();
      case KUBE_OVN -> kubeOvn();
    };
  }

  public static List<CniProfile> all() {
    return List.of(Cni.values()).stream().map(CniProfiles::of).toList();
  }

  static CniProfile ovnKubernetes() {
    return new CniProfile(
        Cni.OVN_KUBERNETES,
        "br-int",
        List.of("br-int"),
        PodPortIds.onInterface("iface-id", "sandbox"),
        Optional.of("ovn-k8s-mp0"),
        new TunnelLayout("geneve", Optional.empty(), "br-int", 6081),
        true,
        Map.of());
  }

  static CniProfile kubeOvn() {
    return new CniProfile(
        Cni.KUBE_OVN,
        "br-int",
        List.of("br-int"),
        new PodPortIds(
            false, List.of("iface-id", "pod_name", "pod_namespace"), Map.of("vendor", "kube-ovn")),
        Optional.of("ovn0"),
        new TunnelLayout("geneve", Optional.empty(), "br-int", 6081),
        true,
        Map.of());
  }

  static CniProfile openshiftSdn() {
    return new CniProfile(
        Cni.OPENSHIFT_SDN,
        "br0",
        List.of("br0"),
        PodPortIds.onInterface("sandbox", "ip"),
        Optional.of("tun0"),
        new TunnelLayout("vxlan", Optional.of("vxlan0"), "br0", 4789),
        false,
        Map.of(
            "br0",
            Map.ofEntries(
                Map.entry(0, "classifier (by in_port; VNID from tun_id)"),
                Map.entry(10, "VXLAN ingress (one flow per peer HostSubnet)"),
                Map.entry(20, "from a pod: IP/MAC spoof check, source VNID"),
                Map.entry(21, "NetworkPolicy hook"),
                Map.entry(25, "NetworkPolicy (conntrack)"),
                Map.entry(27, "multitenant hook"),
                Map.entry(30, "routing"),
                Map.entry(40, "ARP to a local pod"),
                Map.entry(50, "ARP to a remote subnet"),
                Map.entry(60, "to a Service (VNID check)"),
                Map.entry(70, "to a local pod"),
                Map.entry(80, "multitenant isolation / NetworkPolicy"),
                Map.entry(90, "to a remote subnet (HostSubnet)"),
                Map.entry(99, "egress DNS"),
                Map.entry(100, "EgressNetworkPolicy"),
                Map.entry(101, "egress to tun0"),
                Map.entry(110, "multicast"),
                Map.entry(111, "multicast"),
                Map.entry(120, "multicast"))));
  }

  static CniProfile aci() {
    return new CniProfile(
        Cni.ACI,
        "br-access",
        List.of("br-access", "br-int"),
        PodPortIds.none(),
        Optional.empty(),
        new TunnelLayout("vxlan", Optional.of("vxlan0"), "br-int", 8472, true),
        false,
        Map.of(
            "br-access",
            Map.of(
                0, "drop log",
                1, "service bypass",
                2, "group map",
                3, "security group in",
                4, "security group out",
                5, "out",
                6, CniProfile.EXPLICIT_DROP),
            "br-int",
            Map.ofEntries(
                Map.entry(0, "drop log"),
                Map.entry(1, "port security"),
                Map.entry(2, "source EPG"),
                Map.entry(3, "SNAT reverse"),
                Map.entry(4, "service reverse"),
                Map.entry(5, "bridge"),
                Map.entry(6, "service next hop"),
                Map.entry(7, "route"),
                Map.entry(8, "SNAT"),
                Map.entry(9, "NAT in"),
                Map.entry(10, "learn"),
                Map.entry(11, "service destination"),
                Map.entry(12, "policy (EPG contracts)"),
                Map.entry(13, "stats"),
                Map.entry(14, "out"),
                Map.entry(15, CniProfile.EXPLICIT_DROP))));
  }

  static CniProfile antrea() {
    return new CniProfile(
        Cni.ANTREA,
        "br-int",
        List.of("br-int"),
        new PodPortIds(
            true,
            List.of("container-id", "pod-name", "pod-namespace"),
            Map.of("antrea-type", "container")),
        Optional.of("antrea-gw0"),
        new TunnelLayout("geneve", Optional.of("antrea-tun0"), "br-int", 6081),
        false,
        Map.of(
            "br-int",
            Map.ofEntries(
                Map.entry(0, "Classifier"),
                Map.entry(10, "SpoofGuard"),
                Map.entry(20, "ARPResponder"),
                Map.entry(30, "Conntrack"),
                Map.entry(31, "ConntrackState"),
                Map.entry(40, "DNAT (Service)"),
                Map.entry(45, "AntreaPolicyEgressRule"),
                Map.entry(49, "DefaultTierEgressRule"),
                Map.entry(50, "EgressRule (NetworkPolicy egress)"),
                Map.entry(60, "EgressDefault (NetworkPolicy egress default drop)"),
                Map.entry(61, "EgressMetric"),
                Map.entry(70, "L3Forwarding"),
                Map.entry(80, "L2ForwardingCalc"),
                Map.entry(85, "AntreaPolicyIngressRule"),
                Map.entry(89, "DefaultTierIngressRule"),
                Map.entry(90, "IngressRule (NetworkPolicy ingress)"),
                Map.entry(100, "IngressDefault (NetworkPolicy ingress default drop)"),
                Map.entry(101, "IngressMetric"),
                Map.entry(105, "ConntrackCommit"),
                Map.entry(110, "L2ForwardingOut"))));
  }
}
