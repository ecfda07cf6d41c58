package io.podpath.agent.ovsdb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.podpath.agent.errors.DeadlineExceededException;
import io.podpath.agent.errors.ProtocolException;
import io.podpath.agent.errors.ToolFailedException;
import io.podpath.agent.errors.UnavailableException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's {@link OvsState}, kept by an RFC 7047 {@code monitor} (§4.1.5) on one persistent
 * connection instead of being selected for every trace.
 *
 * <p>Each {@link #current} sends an {@code echo} on the monitor connection and applies every {@code
 * update} that arrives before its reply. ovsdb-server flushes a session's pending monitor updates
 * before it reads that session's next request, so a transaction committed before the call (a pod's
 * port added, an ofport assigned) is always in the state returned: read-your-writes at the price of
 * one round trip, and no thread of our own. A lost connection is re-opened with a full resync; a
 * reply we cannot parse falls back to reading the tables once through {@code fallback} (which
 * itself falls back to ovs-vsctl).
 */
public final class OvsStateMonitor implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(OvsStateMonitor.class);
  static final String MONITOR_ID = "podpath-ovs-state";
  static final Map<String, List<String>> TABLES = tables();

  /**
   * One state and the version of its ports: {@code portsVersion} changes whenever a Bridge, Port or
   * Interface row did (or may have: every fallback read gets a new one), so caches of port facts
   * such as {@code dpif/show} can key on it.
   */
  public record Snapshot(OvsState state, long portsVersion, boolean monitored) {}

  private final Remote remote;
  private final OvsDatabase fallback;
  private @Nullable JsonRpcConnection conn;
  private @Nullable MonitoredTables rows;
  private @Nullable OvsState state;
  private boolean dirty;
  private long portsVersion;

  public OvsStateMonitor(Remote remote, OvsDatabase fallback) {
    this.remote = remote;
    this.fallback = fallback;
  }

  private static Map<String, List<String>> tables() {
    Map<String, List<String>> m = new LinkedHashMap<>();
    m.put("Open_vSwitch", OvsState.SYSTEM_COLUMNS);
    m.put("Bridge", OvsState.BRIDGE_COLUMNS);
    m.put("Port", OvsState.PORT_COLUMNS);
    m.put("Interface", OvsState.INTERFACE_COLUMNS);
    return Map.copyOf(m);
  }

  /**
   * The state as of now (see the class comment).
   *
   * @throws UnavailableException when the database cannot be reached, even after one reconnect
   * @throws DeadlineExceededException when it does not answer in time (the next call resyncs)
   */
  public synchronized Snapshot current(Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    try {
      sync(deadline);
    } catch (ProtocolException | ToolFailedException e) {
      drop();
      LOG.warn("OVSDB monitor on {} failed ({}); reading the tables once", remote, e.getMessage());
      portsVersion++;
      return new Snapshot(OvsState.read(fallback, left(deadline)), portsVersion, false);
    }
    // A sync that returns has a connection and its tables (resync sets both, drop clears both),
    // and the first resync marks them dirty, so the state exists from then on.
    if (dirty) {
      MonitoredTables synced = Objects.requireNonNull(rows, "monitored tables after a sync");
      state =
          OvsState.fromRows(
              synced.rows("Open_vSwitch"),
              synced.rows("Bridge"),
              synced.rows("Port"),
              synced.rows("Interface"));
      dirty = false;
    }
    return new Snapshot(
        Objects.requireNonNull(state, "OVS state after a sync"), portsVersion, true);
  }

  private void sync(Instant deadline) {
    for (int attempt = 0; ; attempt++) {
      try {
        if (conn == null || conn.broken()) {
          resync(deadline);
        } else {
          conn.call("echo", JsonRpcConnection.JSON.createArrayNode(), deadline, this::onMessage);
        }
        return;
      } catch (UnavailableException e) {
        // a restarted ovsdb-server closed the kept connection: reconnect once, with a full resync
        drop();
        if (attempt > 0 || e instanceof NoAnswerException) {
          throw e; // a hung server would not answer a second connection either
        }
      } catch (DeadlineExceededException e) {
        drop();
        throw e;
      }
    }
  }

  private void resync(Instant deadline) {
    drop();
    conn = JsonRpcConnection.open(remote, left(deadline));
    ObjectNode requests = JsonRpcConnection.JSON.createObjectNode();
    TABLES.forEach(
        (table, columns) -> {
          ObjectNode r = requests.putObject(table);
          ArrayNode cols = r.putArray("columns");
          columns.forEach(cols::add);
        });
    ArrayNode params =
        JsonRpcConnection.JSON
            .createArrayNode()
            .add(ProtocolOvsDatabase.DB)
            .add(MONITOR_ID)
            .add(requests);
    JsonNode resp = conn.call("monitor", params, deadline, this::onMessage);
    JsonNode err = resp.get("error");
    if (err != null && !err.isNull()) {
      throw new ToolFailedException("ovsdb " + remote, "monitor: " + err);
    }
    rows = new MonitoredTables(List.copyOf(TABLES.keySet()));
    rows.apply(resp.path("result"));
    dirty = true;
    portsVersion++;
  }

  /** An "update" notification for our monitor: apply it. Other notifications are not ours. */
  private void onMessage(JsonNode msg) {
    JsonNode params = msg.path("params");
    if (!"update".equals(msg.path("method").asText())
        || rows == null
        || !MONITOR_ID.equals(params.path(0).asText())) {
      return;
    }
    Set<String> changed = rows.apply(params.path(1));
    if (changed.isEmpty()) {
      return;
    }
    dirty = true;
    if (changed.contains("Bridge") || changed.contains("Port") || changed.contains("Interface")) {
      portsVersion++;
    }
  }

  private void drop() {
    if (conn != null) {
      conn.close();
      conn = null;
    }
    rows = null;
  }

  private static Duration left(Instant deadline) {
    Duration d = Duration.between(Instant.now(), deadline);
    if (d.isNegative() || d.isZero()) {
      throw new DeadlineExceededException("OVSDB: the deadline passed");
    }
    return d;
  }

  @Override
  public synchronized void close() {
    drop();
  }
}
