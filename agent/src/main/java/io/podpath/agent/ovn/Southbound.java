package io.podpath.agent.ovn;

import io.podpath.agent.ovsdb.OvsdbRow;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The Southbound rows trace decoding needs: logical flows (found by cookie through a UUID index and
 * fetched row by row, since the table is the biggest of OVN), and the datapath and port bindings
 * (names, tunnel keys, logical ports, MACs, peers) held whole.
 */
public final class Southbound {
  public static final String DB = "OVN_Southbound";
  static final List<String> FLOW_COLUMNS =
      List.of(
          "logical_datapath",
          "logical_dp_group",
          "pipeline",
          "table_id",
          "priority",
          "match",
          "actions",
          "external_ids");
  static final List<String> LB_COLUMNS = List.of("name", "vips", "external_ids");
  static final List<String> DATAPATH_COLUMNS = List.of("tunnel_key", "external_ids");
  static final List<String> PORT_BINDING_COLUMNS =
      List.of("logical_port", "datapath", "tunnel_key", "type", "mac", "options", "chassis");

  private final UuidIndex flowIndex;
  private final Function<List<String>, List<OvsdbRow>> fetchFlows;
  private final BiFunction<String, String, List<OvsdbRow>> fetchPipeline;
  private final Map<String, OvsdbRow> fetched = new ConcurrentHashMap<>();
  private final List<OvsdbRow> datapaths;
  private final List<OvsdbRow> portBindings;
  private final List<OvsdbRow> loadBalancers;
  private final UuidIndex portBindingIndex;

  Southbound(
      UuidIndex flowIndex,
      Function<List<String>, List<OvsdbRow>> fetchFlows,
      BiFunction<String, String, List<OvsdbRow>> fetchPipeline,
      List<OvsdbRow> datapaths,
      List<OvsdbRow> portBindings,
      List<OvsdbRow> loadBalancers) {
    this.flowIndex = flowIndex;
    this.fetchFlows = fetchFlows;
    this.fetchPipeline = fetchPipeline;
    this.datapaths = List.copyOf(datapaths);
    this.portBindings = List.copyOf(portBindings);
    this.loadBalancers = List.copyOf(loadBalancers);
    this.portBindingIndex = new UuidIndex(portBindings.stream().map(OvsdbRow::uuid).toList());
  }

  /** From rows in hand (recorded fixtures, or a small database read whole). */
  public static Southbound ofRows(
      List<OvsdbRow> logicalFlows,
      List<OvsdbRow> datapaths,
      List<OvsdbRow> portBindings,
      List<OvsdbRow> loadBalancers) {
    Map<String, OvsdbRow> byUuid = new ConcurrentHashMap<>();
    logicalFlows.forEach(r -> byUuid.put(r.uuid(), r));
    return new Southbound(
        new UuidIndex(byUuid.keySet()),
        uuids -> uuids.stream().map(byUuid::get).filter(r -> r != null).toList(),
        (dp, pipeline) ->
            logicalFlows.stream()
                .filter(r -> r.string("logical_datapath").equals(dp))
                .filter(r -> r.string("pipeline").equals(pipeline))
                .toList(),
        datapaths,
        portBindings,
        loadBalancers);
  }

  /** Logical flows whose UUID starts with the cookie's 32 bits (ovn-controller's convention). */
  public List<OvsdbRow> flowsForCookie(long cookie) {
    List<String> uuids = flowIndex.withPrefix(cookie);
    List<String> missing = uuids.stream().filter(u -> !fetched.containsKey(u)).toList();
    if (!missing.isEmpty()) {
      fetchFlows.apply(missing).forEach(r -> fetched.put(r.uuid(), r));
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

  /**
   * The logical flows of one datapath's pipeline ("ingress" or "egress"), fetched when asked: what
   * a stage of a router would do with a flag ofproto/trace could not carry (ForceSnat). Flows
   * shared through a datapath group are not among them.
   */
  public List<OvsdbRow> flowsOf(String datapathUuid, String pipeline) {
    return fetchPipeline.apply(datapathUuid, pipeline);
  }

  /** The datapath named {@code name} (a switch's or router's external_ids:name). */
  public Optional<OvsdbRow> datapathNamed(String name) {
    return datapaths.stream().filter(d -> datapathName(d).equals(name)).findFirst();
  }

  /**
   * Load balancers whose Northbound UUID (external_ids:lb_id, copied by northd) starts with a
   * stage-hint: how a node that cannot reach the NB still names a Service's load balancer.
   */
  public List<OvsdbRow> loadBalancersByHint(String hint) {
    if (hint == null || hint.isEmpty()) {
      return List.of();
    }
    return loadBalancers.stream()
        .filter(lb -> lb.map("external_ids").getOrDefault("lb_id", "").startsWith(hint))
        .toList();
  }

  /**
   * Whether the cookie is the first 32 bits of a Port_Binding's UUID: ovn-controller marks its
   * physical flows (port ingress/egress, tunnels) that way, so no logical flow is missing for them.
   */
  public boolean isPortBindingCookie(long cookie) {
    return !portBindingIndex.withPrefix(cookie).isEmpty();
  }

  public int logicalFlowCount() {
    return flowIndex.size();
  }

  public Optional<OvsdbRow> datapathByKey(long tunnelKey) {
    return datapaths.stream()
        .filter(d -> d.integer("tunnel_key").orElse(-1) == tunnelKey)
        .findFirst();
  }

  public Optional<OvsdbRow> datapath(String uuid) {
    return datapaths.stream().filter(d -> d.uuid().equals(uuid)).findFirst();
  }

  /** The datapath's name: external_ids:name (a switch or router name). */
  public static String datapathName(OvsdbRow dp) {
    Map<String, String> ids = dp.map("external_ids");
    return ids.getOrDefault("name", ids.getOrDefault("name2", dp.uuid()));
  }

  public Optional<OvsdbRow> portBinding(String logicalPort) {
    return portBindings.stream()
        .filter(p -> p.string("logical_port").equals(logicalPort))
        .findFirst();
  }

  public Optional<OvsdbRow> portBindingByKey(String datapathUuid, long tunnelKey) {
    return portBindings.stream()
        .filter(p -> p.string("datapath").equals(datapathUuid))
        .filter(p -> p.integer("tunnel_key").orElse(-1) == tunnelKey)
        .findFirst();
  }

  public List<OvsdbRow> portBindingsOn(String datapathUuid) {
    return portBindings.stream().filter(p -> p.string("datapath").equals(datapathUuid)).toList();
  }
}
