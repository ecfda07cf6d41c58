package io.podpath.agent.ovsdb;

import io.podpath.agent.errors.ProtocolException;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The protocol first; ovs-vsctl when the protocol path misbehaves (an answer we cannot parse). An
 * unreachable socket is not retried through exec: ovs-vsctl would fail on the same socket.
 */
public final class FallbackOvsDatabase implements OvsDatabase {
  private static final Logger LOG = LoggerFactory.getLogger(FallbackOvsDatabase.class);
  private final OvsDatabase primary;
  private final OvsDatabase fallback;
  private volatile String lastVia;

  public FallbackOvsDatabase(OvsDatabase primary, OvsDatabase fallback) {
    this.primary = primary;
    this.fallback = fallback;
    this.lastVia = primary.via();
  }

  @Override
  public List<OvsdbRow> list(String table, List<String> columns, Duration timeout) {
    try {
      List<OvsdbRow> rows = primary.list(table, columns, timeout);
      lastVia = primary.via();
      return rows;
    } catch (ProtocolException e) {
      LOG.warn(
          "OVSDB protocol path failed on {} ({}); using {}", table, e.getMessage(), fallback.via());
      List<OvsdbRow> rows = fallback.list(table, columns, timeout);
      lastVia = fallback.via();
      return rows;
    }
  }

  /** The path that answered the last read. */
  @Override
  public String via() {
    return lastVia;
  }
}
