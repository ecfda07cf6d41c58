package io.podpath.agent.cni;

/** Why a trace's packet was dropped, in the terms of the node's CNI. */
public sealed interface DropExplanation {

  /** Human-readable, for the trace's drop reason. */
  String describe();

  /**
   * OVN-based CNIs (OVN-Kubernetes, Kube-OVN): the OpenFlow cookie names a logical flow, which the
   * OVN decoding turns into ACL and NetworkPolicy; nothing to add here.
   */
  record ViaOvnLogicalFlow(Cni cni, String bridge, int table, String cookie)
      implements DropExplanation {
    @Override
    public String describe() {
      return cni
          + ": dropped on "
          + bridge
          + " table "
          + table
          + "; cookie "
          + cookie
          + " names the OVN logical flow";
    }
  }

  /**
   * A CNI that programs OpenFlow itself: the table's role in its pipeline, the flow that dropped
   * (or "no flow matched") and its cookie, which the CNI uses to tag who installed the flow.
   *
   * @param role empty when the profile does not know the table
   * @param decidedIn when the drop table only drops, the lookup that sent the packet there (the
   *     verdict: ACI's contract table 12 sends denied packets to its drop table 15); else empty
   * @param isolation when the table's drop is the CNI's isolation of namespaces, which ids differ
   *     (OpenShift SDN multitenant: the VNIDs); else empty
   */
  record PipelineTable(
      Cni cni,
      String bridge,
      int table,
      String role,
      boolean matched,
      String flow,
      String cookie,
      String decidedIn,
      String isolation)
      implements DropExplanation {
    @Override
    public String describe() {
      String where =
          cni
              + ": dropped on "
              + bridge
              + " table "
              + table
              + (role.isEmpty() ? "" : " (" + role + ")");
      String how = matched ? "by flow " + flow : "no flow matched (table miss)";
      return where
          + ", "
          + how
          + (cookie.isEmpty() ? "" : ", cookie " + cookie)
          + (decidedIn.isEmpty() ? "" : "; sent there by " + decidedIn)
          + (isolation.isEmpty() ? "" : "; " + isolation);
    }
  }
}
