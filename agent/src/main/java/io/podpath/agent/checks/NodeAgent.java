package io.podpath.agent.checks;

import io.podpath.agent.cni.CniProfile;
import java.util.Optional;

/**
 * The component on this node that plumbs pods, bridges and tunnels, as a fix line names it. The
 * profile alone is not enough: plain OVS pods carry OVN-Kubernetes-style ids, but without {@code
 * ovn-remote} no ovnkube-node or ovn-controller runs there.
 */
final class NodeAgent {
  private NodeAgent() {}

  static final String GENERIC = "the CNI's node agent";

  static String of(OvsSnapshot snap, Optional<CniProfile> cni) {
    if (cni.isEmpty()) {
      return snap.isOvn() ? "ovnkube-node" : GENERIC;
    }
    return switch (cni.get().cni()) {
      case OVN_KUBERNETES -> snap.isOvn() ? "ovnkube-node" : GENERIC;
      case KUBE_OVN -> snap.isOvn() ? "kube-ovn-cni" : GENERIC;
      case OPENSHIFT_SDN -> "the sdn pod (openshift-sdn)";
      case ACI -> "aci-containers-host";
      case ANTREA -> "antrea-agent";
    };
  }

  static String of(CheckContext ctx, OvsSnapshot snap) {
    return of(snap, ctx.ovs().cni());
  }

  /**
   * Who re-creates a broken tunnel port: ovn-controller where OVN runs (from the peers' Encap
   * rows), else the node agent.
   */
  static String tunnelOwner(CheckContext ctx, OvsSnapshot snap) {
    return snap.isOvn() ? "ovn-controller" : of(ctx, snap);
  }
}
