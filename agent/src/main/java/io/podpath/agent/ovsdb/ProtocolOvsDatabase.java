package io.podpath.agent.ovsdb;

import java.time.Duration;
import java.util.List;

/** The Open_vSwitch database over RFC 7047 on db.sock. */
public final class ProtocolOvsDatabase implements OvsDatabase {
  public static final String DB = "Open_vSwitch";
  private final OvsdbClient client;

  public ProtocolOvsDatabase(OvsdbClient client) {
    this.client = client;
  }

  @Override
  public List<OvsdbRow> list(String table, List<String> columns, Duration timeout) {
    return client.select(DB, table, List.of(), columns, timeout);
  }

  @Override
  public String via() {
    return "ovsdb";
  }
}
