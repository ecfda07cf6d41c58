package io.podpath.agent.ovn;

import io.podpath.agent.ovsdb.OvsdbRow;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Northbound rows behind logical flows: ACLs and load balancers found by northd's stage-hint
 * through UUID indexes and fetched row by row, the NetworkPolicy port groups (OVN-Kubernetes
 * owner-type NetworkPolicy: a policy's pods), and logical switch ports by name.
 */
public final class Northbound {
  public static final String DB = "OVN_Northbound";
  static final List<String> ACL_COLUMNS =
      List.of("action", "direction", "match", "priority", "name", "external_ids");
  static final List<String> LB_COLUMNS = List.of("name", "vips", "external_ids");
  static final List<String> PORT_GROUP_COLUMNS = List.of("name", "ports", "acls", "external_ids");
  static final List<String> LSP_COLUMNS = List.of("name");

  /** How rows are fetched: by table and UUIDs, and switch ports by name. */
  interface Fetch {
    List<OvsdbRow> rows(String table, List<String> uuids);

    Optional<OvsdbRow> switchPort(String name);

    /** The port groups whose ACLs include {@code aclUuid} (asked only for an unnamed drop). */
    List<OvsdbRow> portGroupsWithAcl(String aclUuid);
  }

  private final UuidIndex aclIndex;
  private final UuidIndex lbIndex;
  private final UuidIndex topologyIndex;
  private final List<OvsdbRow> policyPortGroups;
  private final Fetch fetch;
  private final Map<String, OvsdbRow> fetched = new ConcurrentHashMap<>();

  /**
   * @param topologyIndex the logical switches, switch ports and router ports: rows northd also
   *     names in stage-hints (e.g. a router port's pre-ACL flows), which are no missing ACL
   */
  Northbound(
      UuidIndex aclIndex,
      UuidIndex lbIndex,
      UuidIndex topologyIndex,
      List<OvsdbRow> policyPortGroups,
      Fetch fetch) {
    this.aclIndex = aclIndex;
    this.lbIndex = lbIndex;
    this.topologyIndex = topologyIndex;
    this.policyPortGroups = List.copyOf(policyPortGroups);
    this.fetch = fetch;
  }

  /** From rows in hand (recorded fixtures). */
  public static Northbound ofRows(
      List<OvsdbRow> acls,
      List<OvsdbRow> loadBalancers,
      List<OvsdbRow> portGroups,
      List<OvsdbRow> switchPorts) {
    Map<String, OvsdbRow> byUuid = new ConcurrentHashMap<>();
    acls.forEach(r -> byUuid.put(r.uuid(), r));
    loadBalancers.forEach(r -> byUuid.put(r.uuid(), r));
    return new Northbound(
        new UuidIndex(acls.stream().map(OvsdbRow::uuid).toList()),
        new UuidIndex(loadBalancers.stream().map(OvsdbRow::uuid).toList()),
        new UuidIndex(
            switchPorts.stream().filter(r -> r.has("_uuid")).map(OvsdbRow::uuid).toList()),
        portGroups,
        new Fetch() {
          @Override
          public List<OvsdbRow> rows(String table, List<String> uuids) {
            return uuids.stream().map(byUuid::get).filter(r -> r != null).toList();
          }

          @Override
          public Optional<OvsdbRow> switchPort(String name) {
            return switchPorts.stream().filter(p -> p.string("name").equals(name)).findFirst();
          }

          @Override
          public List<OvsdbRow> portGroupsWithAcl(String aclUuid) {
            return portGroups.stream().filter(g -> g.set("acls").contains(aclUuid)).toList();
          }
        });
  }

  /** northd's stage-hint is the first 8 hex digits of the NB row's UUID. */
  public List<OvsdbRow> aclsByHint(String hint) {
    return rows("ACL", aclIndex.withHint(hint));
  }

  public List<OvsdbRow> loadBalancersByHint(String hint) {
    return rows("Load_Balancer", lbIndex.withHint(hint));
  }

  /** Whether the stage-hint names a switch, switch port or router port this copy knows. */
  public boolean hintNamesTopology(String hint) {
    return !topologyIndex.withHint(hint).isEmpty();
  }

  public Optional<OvsdbRow> switchPort(String name) {
    return fetch.switchPort(name);
  }

  /** The port groups holding the ACL (Kube-OVN keys its policy's group with np=NS/NAME). */
  public List<OvsdbRow> portGroupsWithAcl(String aclUuid) {
    return fetch.portGroupsWithAcl(aclUuid);
  }

  /** Port groups whose external_ids say OVN-Kubernetes made them for a NetworkPolicy. */
  public List<OvsdbRow> portGroups() {
    return policyPortGroups;
  }

  private List<OvsdbRow> rows(String table, List<String> uuids) {
    List<String> missing = uuids.stream().filter(u -> !fetched.containsKey(u)).toList();
    if (!missing.isEmpty()) {
      fetch.rows(table, missing).forEach(r -> fetched.put(r.uuid(), r));
    }
    List<OvsdbRow> out = new ArrayList<>();
    for (String u : uuids) {
      OvsdbRow r = fetched.get(u);
      if (r != null) {
        out.add(r);
      }
    }
    return out;
  }
}
