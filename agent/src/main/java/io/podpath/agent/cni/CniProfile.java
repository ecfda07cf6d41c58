package io.podpath.agent.cni;

import io.podpath.agent.pod.PodKey;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What podpath needs to know of one CNI's node layout: where pods plug in, how their ports are
 * confirmed, the host gateway port, the tunnels, and how a drop is explained.
 *
 * @param podBridge the bridge holding the pods' veths
 * @param bridges every bridge the CNI's pipeline spans, in the order a pod's packet crosses them
 * @param gatewayPort the host-side port into the node's routes (empty when the CNI has none in OVS:
 *     the ACI sandbox builds no {@code veth_host_ac})
 * @param tableRoles OpenFlow table → its role in the CNI's pipeline, per bridge; empty for OVN,
 *     whose drops are explained through logical flows instead
 */
public record CniProfile(
    Cni cni,
    String podBridge,
    List<String> bridges,
    PodPortIds podPortIds,
    Optional<String> gatewayPort,
    TunnelLayout tunnels,
    boolean ovnLogicalFlows,
    Map<String, Map<Integer, String>> tableRoles) {

  public CniProfile {
    bridges = List.copyOf(bridges);
    tableRoles = Map.copyOf(tableRoles);
  }

  /** The role name of a table that holds nothing but drops (the verdict is the table before). */
  public static final String EXPLICIT_DROP = "explicit drop";

  public boolean dropOnlyTable(String bridge, int table) {
    return tableRole(bridge, table).filter(EXPLICIT_DROP::equals).isPresent();
  }

  /**
   * Whether this CNI writes the pod's name into OVSDB (OVN-Kubernetes and Kube-OVN in iface-id,
   * Antrea on the Port row), so that a name alone finds the port; OpenShift SDN and ACI do not.
   */
  public boolean namesPods() {
    return switch (cni) {
      case OVN_KUBERNETES, KUBE_OVN, ANTREA -> true;
      case OPENSHIFT_SDN, ACI -> false;
    };
  }

  /**
   * The OVN logical port (Interface {@code iface-id}) this CNI gives a pod: OVN-Kubernetes {@code
   * <ns>_<pod>}, Kube-OVN {@code <pod>.<ns>}; empty for CNIs that do not key pods by iface-id.
   */
  public Optional<String> ifaceIdOf(String namespace, String name) {
    return switch (cni) {
      case OVN_KUBERNETES -> Optional.of(namespace + "_" + name);
      case KUBE_OVN -> Optional.of(name + "." + namespace);
      case OPENSHIFT_SDN, ACI, ANTREA -> Optional.empty();
    };
  }

  /**
   * A table whose lowest-priority drop is the CNI's isolation between namespaces: the packet's
   * source and destination ids (registers) differ.
   *
   * @param srcReg the register holding the source's id, as ofproto/trace's final flow names it
   * @param what what the ids are (OpenShift SDN: the namespaces' VNIDs)
   */
  public record Isolation(String bridge, int table, String srcReg, String dstReg, String what) {}

  /** OpenShift SDN's multitenant plugin isolates namespaces by VNID in table 80; others none. */
  public Optional<Isolation> isolation() {
    return cni == Cni.OPENSHIFT_SDN
        ? Optional.of(new Isolation(podBridge, 80, "reg0", "reg1", "VNID"))
        : Optional.empty();
  }

  /**
   * The pod "namespace/name" this CNI wrote into a port's external_ids (Interface and Port rows
   * merged): OVN-Kubernetes' iface-id {@code <ns>_<pod>}, Kube-OVN's pod_namespace/pod_name,
   * Antrea's pod-namespace/pod-name; empty for CNIs that write no pod name (OpenShift SDN, ACI).
   */
  public Optional<String> podNameIn(Map<String, String> externalIds) {
    return switch (cni) {
      case OVN_KUBERNETES ->
          PodKey.fromIfaceId(externalIds.getOrDefault("iface-id", "")).map(PodKey::toString);
      case KUBE_OVN -> both(externalIds, "pod_namespace", "pod_name");
      case ANTREA -> both(externalIds, "pod-namespace", "pod-name");
      case OPENSHIFT_SDN, ACI -> Optional.empty();
    };
  }

  private static Optional<String> both(Map<String, String> ids, String ns, String name) {
    String n = ids.getOrDefault(ns, "");
    String p = ids.getOrDefault(name, "");
    return n.isEmpty() || p.isEmpty() ? Optional.empty() : Optional.of(n + "/" + p);
  }

  /** The role of a table on a bridge in this CNI's pipeline, empty when the profile has none. */
  public Optional<String> tableRole(String bridge, int table) {
    Map<Integer, String> roles = tableRoles.getOrDefault(bridge, Map.of());
    return Optional.ofNullable(roles.get(table));
  }
}
