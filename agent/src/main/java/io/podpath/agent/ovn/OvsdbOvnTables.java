package io.podpath.agent.ovn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.podpath.agent.errors.AgentException;
import io.podpath.agent.ovsdb.OvsdbClient;
import io.podpath.agent.ovsdb.OvsdbCondition;
import io.podpath.agent.ovsdb.OvsdbRow;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads OVN's databases over RFC 7047. The big tables (Logical_Flow, ACL, Load_Balancer) are read
 * as UUID indexes only, and the rows a trace needs are fetched by UUID; the copies are kept a few
 * seconds so back-to-back traces share them, and a cookie not found reloads early.
 */
public final class OvsdbOvnTables implements OvnTables {
  static final Duration TTL = Duration.ofSeconds(5);
  private static final Duration NB_TIMEOUT = Duration.ofSeconds(1);
  // Callers ask for a reload only when a row they need is missing (at most once per trace): a
  // copy read even a moment ago may predate the ACL or port group a policy just created.
  private static final Duration MIN_AGE_FOR_RELOAD = Duration.ZERO;
  private static final int BATCH = 200;
  private static final ObjectMapper JSON = new ObjectMapper();
  private final OvsdbClient sb;
  private final Optional<OvsdbClient> nb;
  private final Cached<Southbound> sbCache;
  private final Cached<Optional<Northbound>> nbCache;
  // the deadline of the trace that last asked: the loaders run inside that call
  private volatile Duration timeout = Duration.ofSeconds(5);

  public OvsdbOvnTables(OvsdbClient sb, Optional<OvsdbClient> nb) {
    this(sb, nb, Clock.systemUTC());
  }

  OvsdbOvnTables(OvsdbClient sb, Optional<OvsdbClient> nb, Clock clock) {
    this.sb = sb;
    this.nb = nb;
    this.sbCache = new Cached<>(this::loadSouthbound, TTL, clock);
    this.nbCache = new Cached<>(this::loadNorthbound, TTL, clock);
  }

  @Override
  public Southbound southbound(Duration t) {
    timeout = t;
    return sbCache.get();
  }

  @Override
  public Southbound southboundFresh(Duration t) {
    timeout = t;
    return sbCache.refreshIfOlderThan(MIN_AGE_FOR_RELOAD);
  }

  @Override
  public Optional<Northbound> northbound(Duration t) {
    timeout = t;
    return nbCache.get();
  }

  @Override
  public Optional<Northbound> northboundFresh(Duration t) {
    timeout = t;
    return nbCache.refreshIfOlderThan(MIN_AGE_FOR_RELOAD);
  }

  @Override
  public String describe() {
    return "SB " + sb.remote() + ", NB " + nb.map(c -> c.remote().toString()).orElse("none");
  }

  private Southbound loadSouthbound() {
    Duration t = timeout;
    return new Southbound(
        index(sb, Southbound.DB, "Logical_Flow", t),
        uuids -> byUuid(sb, Southbound.DB, "Logical_Flow", uuids, Southbound.FLOW_COLUMNS),
        (dp, pipeline) ->
            sb.select(
                Southbound.DB,
                "Logical_Flow",
                List.of(
                    OvsdbCondition.eqUuid("logical_datapath", dp),
                    OvsdbCondition.eq("pipeline", pipeline)),
                Southbound.FLOW_COLUMNS,
                t),
        sb.select(Southbound.DB, "Datapath_Binding", List.of(), Southbound.DATAPATH_COLUMNS, t),
        sb.select(Southbound.DB, "Port_Binding", List.of(), Southbound.PORT_BINDING_COLUMNS, t),
        sb.select(Southbound.DB, "Load_Balancer", List.of(), Southbound.LB_COLUMNS, t));
  }

  private Optional<Northbound> loadNorthbound() {
    if (nb.isEmpty()) {
      return Optional.empty();
    }
    // short: an unreachable NB must not slow every trace down
    Duration t = min(timeout, NB_TIMEOUT);
    OvsdbClient c = nb.get();
    try {
      List<OvsdbRow> groups =
          c.select(
              Northbound.DB,
              "Port_Group",
              List.of(
                  OvsdbCondition.includes(
                      "external_ids", Map.of(PolicyResolver.OWNER_TYPE, "NetworkPolicy"))),
              Northbound.PORT_GROUP_COLUMNS,
              t);
      return Optional.of(
          new Northbound(
              index(c, Northbound.DB, "ACL", t),
              index(c, Northbound.DB, "Load_Balancer", t),
              new UuidIndex(
                  concat(
                      uuids(c, Northbound.DB, "Logical_Switch", t),
                      uuids(c, Northbound.DB, "Logical_Switch_Port", t),
                      uuids(c, Northbound.DB, "Logical_Router_Port", t))),
              groups,
              new Northbound.Fetch() {
                @Override
                public List<OvsdbRow> rows(String table, List<String> uuids) {
                  List<String> cols =
                      table.equals("ACL") ? Northbound.ACL_COLUMNS : Northbound.LB_COLUMNS;
                  return byUuid(c, Northbound.DB, table, uuids, cols);
                }

                @Override
                public Optional<OvsdbRow> switchPort(String name) {
                  return c
                      .select(
                          Northbound.DB,
                          "Logical_Switch_Port",
                          List.of(OvsdbCondition.eq("name", name)),
                          Northbound.LSP_COLUMNS,
                          timeout)
                      .stream()
                      .findFirst();
                }

                @Override
                public List<OvsdbRow> portGroupsWithAcl(String aclUuid) {
                  return c.select(
                      Northbound.DB,
                      "Port_Group",
                      List.of(OvsdbCondition.includesUuid("acls", aclUuid)),
                      Northbound.PORT_GROUP_COLUMNS,
                      timeout);
                }
              }));
    } catch (AgentException e) {
      // Nodes often cannot reach the NB (only ovn-controller's SB remote is open to them).
      return Optional.empty();
    }
  }

  private static UuidIndex index(OvsdbClient c, String db, String table, Duration t) {
    return new UuidIndex(uuids(c, db, table, t));
  }

  private static List<String> uuids(OvsdbClient c, String db, String table, Duration t) {
    List<String> uuids = new ArrayList<>();
    for (OvsdbRow r : c.select(db, table, List.of(), List.of("_uuid"), t)) {
      uuids.add(r.uuid());
    }
    return uuids;
  }

  @SafeVarargs
  private static List<String> concat(List<String>... lists) {
    List<String> out = new ArrayList<>();
    for (List<String> l : lists) {
      out.addAll(l);
    }
    return out;
  }

  /** One transaction with a select per UUID (in batches), the way ovn-detrace looks rows up. */
  private List<OvsdbRow> byUuid(
      OvsdbClient c, String db, String table, List<String> uuids, List<String> columns) {
    List<OvsdbRow> out = new ArrayList<>();
    for (int from = 0; from < uuids.size(); from += BATCH) {
      List<ObjectNode> ops = new ArrayList<>();
      for (String u : uuids.subList(from, Math.min(uuids.size(), from + BATCH))) {
        ObjectNode op = JSON.createObjectNode();
        op.put("op", "select");
        op.put("table", table);
        ArrayNode where = op.putArray("where");
        where.addArray().add("_uuid").add("==").addArray().add("uuid").add(u);
        ArrayNode cols = op.putArray("columns");
        cols.add("_uuid");
        columns.forEach(cols::add);
        ops.add(op);
      }
      JsonNode results = c.transact(db, ops, timeout);
      for (JsonNode result : results) {
        for (JsonNode row : result.path("rows")) {
          Map<String, JsonNode> m = new LinkedHashMap<>();
          row.properties().forEach(e -> m.put(e.getKey(), e.getValue()));
          out.add(new OvsdbRow(m));
        }
      }
    }
    return out;
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) < 0 ? a : b;
  }
}
