package io.podpath.agent.ovn;

import io.podpath.agent.ovsdb.OvsdbRow;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Names the Kubernetes NetworkPolicy behind an OVN ACL, from the external_ids OVN-Kubernetes writes
 * (go-controller/pkg/libovsdb/ops/db_object_types.go):
 *
 * <ul>
 *   <li>a rule's ACL: {@code k8s.ovn.org/owner-type=NetworkPolicy}, {@code
 *       k8s.ovn.org/name=NS:NAME}, {@code direction=Ingress|Egress};
 *   <li>the namespace's default deny: {@code k8s.ovn.org/owner-type=NetpolNamespace}, {@code
 *       k8s.ovn.org/name=NS}, {@code direction}, {@code type=defaultDeny} — it names no policy, so
 *       the policies are found by their port groups ({@code owner-type=NetworkPolicy}, {@code
 *       name=NS:NAME}) that hold the dropped pod's logical port;
 *   <li>older releases: {@code policy}, {@code namespace}, {@code policy_type};
 *   <li>Kube-OVN: the ACL names no policy, the port group holding it does: {@code np=NS/NAME}.
 * </ul>
 *
 * Without the Northbound DB, the ACL name in a {@code log(name=...)} action ({@code
 * NP:NS:NAME:Ingress:0} or {@code NP:NS:Ingress}) is the last resort.
 */
public final class PolicyResolver {
  static final String OWNER_TYPE = "k8s.ovn.org/owner-type";
  static final String NAME = "k8s.ovn.org/name";

  private PolicyResolver() {}

  /** The policies behind this ACL; several when a default deny covers the pod for several. */
  public static List<PolicyRef> fromAcl(
      AclInfo acl, Optional<String> droppedLogicalPort, Optional<Northbound> nb) {
    Map<String, String> ids = acl.externalIds();
    PolicyRef.Direction dir = direction(ids, acl.direction());
    String owner = ids.getOrDefault(OWNER_TYPE, "");
    String name = ids.getOrDefault(NAME, "");
    if (owner.equals("NetworkPolicy") && name.contains(":")) {
      int c = name.indexOf(':');
      return List.of(new PolicyRef(name.substring(0, c), name.substring(c + 1), dir));
    }
    if (owner.equals("NetpolNamespace") || owner.equals("NetpolDefault")) {
      List<PolicyRef> found = policiesHolding(name, droppedLogicalPort, nb, dir);
      return found.isEmpty() ? List.of(new PolicyRef(name, "", dir)) : found;
    }
    if (ids.containsKey("policy") && ids.containsKey("namespace")) {
      PolicyRef.Direction legacy = PolicyRef.Direction.of(ids.get("policy_type"));
      return List.of(
          new PolicyRef(
              ids.get("namespace"),
              ids.get("policy"),
              legacy == PolicyRef.Direction.UNSPECIFIED ? dir : legacy));
    }
    List<PolicyRef> byGroup = groupHolding(acl, nb, dir);
    if (!byGroup.isEmpty()) {
      return byGroup;
    }
    return fromAclName(acl.name()).map(List::of).orElse(List.of());
  }

  /** Kube-OVN's external_ids key on a policy's port group: the policy as "NS/NAME". */
  static final String KUBE_OVN_POLICY = "np";

  private static List<PolicyRef> groupHolding(
      AclInfo acl, Optional<Northbound> nb, PolicyRef.Direction dir) {
    if (nb.isEmpty() || acl.uuid().isEmpty()) {
      return List.of();
    }
    List<PolicyRef> out = new ArrayList<>();
    for (OvsdbRow pg : nb.get().portGroupsWithAcl(acl.uuid())) {
      String np = pg.map("external_ids").getOrDefault(KUBE_OVN_POLICY, "");
      int slash = np.indexOf('/');
      if (slash > 0 && slash < np.length() - 1) {
        out.add(new PolicyRef(np.substring(0, slash), np.substring(slash + 1), dir));
      }
    }
    out.sort(Comparator.comparing(PolicyRef::name));
    return out;
  }

  /** {@code NP:NS:NAME:Ingress:0} (a rule) or {@code NP:NS:Ingress} (the default deny). */
  public static Optional<PolicyRef> fromAclName(String aclName) {
    if (aclName == null || !aclName.startsWith("NP:")) {
      return Optional.empty();
    }
    String[] p = aclName.split(":");
    if (p.length >= 4) {
      return Optional.of(new PolicyRef(p[1], p[2], PolicyRef.Direction.of(p[3])));
    }
    if (p.length == 3) {
      return Optional.of(new PolicyRef(p[1], "", PolicyRef.Direction.of(p[2])));
    }
    return Optional.empty();
  }

  private static PolicyRef.Direction direction(Map<String, String> ids, String aclDirection) {
    PolicyRef.Direction d = PolicyRef.Direction.of(ids.get("direction"));
    if (d != PolicyRef.Direction.UNSPECIFIED) {
      return d;
    }
    // to-lport ACLs guard what enters a pod; from-lport ones what leaves it
    return switch (aclDirection) {
      case "to-lport" -> PolicyRef.Direction.INGRESS;
      case "from-lport" -> PolicyRef.Direction.EGRESS;
      default -> PolicyRef.Direction.UNSPECIFIED;
    };
  }

  private static List<PolicyRef> policiesHolding(
      String namespace, Optional<String> lsp, Optional<Northbound> nb, PolicyRef.Direction dir) {
    List<PolicyRef> out = new ArrayList<>();
    if (nb.isEmpty() || lsp.isEmpty()) {
      return out;
    }
    Optional<String> lspUuid = nb.get().switchPort(lsp.get()).map(OvsdbRow::uuid);
    if (lspUuid.isEmpty()) {
      return out;
    }
    String prefix = namespace + ":";
    for (OvsdbRow pg : nb.get().portGroups()) {
      Map<String, String> ids = pg.map("external_ids");
      String name = ids.getOrDefault(NAME, "");
      if ("NetworkPolicy".equals(ids.get(OWNER_TYPE))
          && name.startsWith(prefix)
          && pg.set("ports").contains(lspUuid.get())) {
        out.add(new PolicyRef(namespace, name.substring(prefix.length()), dir));
      }
    }
    out.sort(Comparator.comparing(PolicyRef::name));
    return out;
  }
}
