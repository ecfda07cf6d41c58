package io.podpath.agent.ovsdb;

import java.time.Duration;
import java.util.List;

/**
 * Read access to the node's Open_vSwitch database: by the protocol ({@link ProtocolOvsDatabase})
 * or, as a fallback and as the reference in tests, by {@code ovs-vsctl} ({@link VsctlOvsDatabase}).
 */
public interface OvsDatabase {
  /** Every row of the table with these columns (plus _uuid). */
  List<OvsdbRow> list(String table, List<String> columns, Duration timeout);

  /** "ovsdb" or "exec": which path answered. */
  String via();
}
