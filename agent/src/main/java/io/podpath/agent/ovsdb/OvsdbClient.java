package io.podpath.agent.ovsdb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.podpath.agent.errors.ProtocolException;
import io.podpath.agent.errors.ToolFailedException;
import io.podpath.agent.errors.UnavailableException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * An RFC 7047 client for one ovsdb-server remote (the node's db.sock, or OVN NB/SB over unix: or
 * tcp:). Keeps one connection, opened on first use and re-opened after a failure; calls are
 * serialised. Thread-safe.
 */
public final class OvsdbClient implements AutoCloseable {
  private final Remote remote;
  private @Nullable JsonRpcConnection conn;

  public OvsdbClient(Remote remote) {
    this.remote = remote;
  }

  public Remote remote() {
    return remote;
  }

  public List<String> listDbs(Duration timeout) {
    JsonNode r = call("list_dbs", JsonRpcConnection.JSON.createArrayNode(), timeout);
    List<String> out = new ArrayList<>();
    r.forEach(n -> out.add(n.asText()));
    return out;
  }

  public JsonNode getSchema(String db, Duration timeout) {
    return call("get_schema", JsonRpcConnection.JSON.createArrayNode().add(db), timeout);
  }

  /**
   * Selects rows. {@code columns} empty = every column (the server then also sends _uuid and
   * _version); otherwise "_uuid" is added so rows can be joined.
   */
  public List<OvsdbRow> select(
      String db, String table, List<OvsdbCondition> where, List<String> columns, Duration timeout) {
    ObjectNode op = JsonRpcConnection.JSON.createObjectNode();
    op.put("op", "select");
    op.put("table", table);
    ArrayNode w = op.putArray("where");
    where.forEach(c -> w.add(c.toJson()));
    if (!columns.isEmpty()) {
      ArrayNode cols = op.putArray("columns");
      if (!columns.contains("_uuid")) {
        cols.add("_uuid");
      }
      columns.forEach(cols::add);
    }
    JsonNode results = transact(db, List.of(op), timeout);
    JsonNode first = results.get(0);
    if (first == null || !first.has("rows")) {
      throw new ProtocolException(remote + ": select on " + table + " gave " + results);
    }
    List<OvsdbRow> rows = new ArrayList<>();
    for (JsonNode row : first.get("rows")) {
      Map<String, JsonNode> m = new LinkedHashMap<>();
      row.properties().forEach(e -> m.put(e.getKey(), e.getValue()));
      rows.add(new OvsdbRow(m));
    }
    return rows;
  }

  /**
   * Runs a transaction and returns the per-operation results.
   *
   * @throws ToolFailedException when the server or one operation reports an error
   */
  public JsonNode transact(String db, List<? extends JsonNode> operations, Duration timeout) {
    ArrayNode params = JsonRpcConnection.JSON.createArrayNode().add(db);
    operations.forEach(params::add);
    JsonNode results = call("transact", params, timeout);
    if (!results.isArray()) {
      throw new ProtocolException(remote + ": transact result is not an array");
    }
    for (JsonNode r : results) {
      if (r.hasNonNull("error")) {
        throw new ToolFailedException(
            "ovsdb " + remote, r.path("error").asText() + ": " + r.path("details").asText());
      }
    }
    return results;
  }

  private synchronized JsonNode call(String method, JsonNode params, Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    for (int attempt = 0; ; attempt++) {
      if (conn == null || conn.broken()) {
        closeConn();
        conn = JsonRpcConnection.open(remote, timeout);
      }
      try {
        JsonNode resp = conn.call(method, params, deadline);
        JsonNode err = resp.get("error");
        if (err != null && !err.isNull()) {
          throw new ToolFailedException("ovsdb " + remote, method + ": " + err);
        }
        return resp.path("result");
      } catch (UnavailableException e) {
        // A kept connection may have been closed by a restarted server: reconnect once.
        closeConn();
        if (attempt > 0) {
          throw e;
        }
      }
    }
  }

  private void closeConn() {
    if (conn != null) {
      conn.close();
      conn = null;
    }
  }

  @Override
  public synchronized void close() {
    closeConn();
  }
}
