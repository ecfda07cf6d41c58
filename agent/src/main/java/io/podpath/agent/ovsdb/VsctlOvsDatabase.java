package io.podpath.agent.ovsdb;

import com.fasterxml.jackson.databind.JsonNode;
import io.podpath.agent.errors.ProtocolException;
import io.podpath.agent.exec.Command;
import io.podpath.agent.exec.CommandRunner;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The Open_vSwitch database through {@code ovs-vsctl --format=json list}: the same OVSDB value
 * notation as the protocol, laid out as {"headings":[..],"data":[[..]..]}.
 */
public final class VsctlOvsDatabase implements OvsDatabase {
  private static final Pattern IDENT = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private final CommandRunner runner;
  private final Path dbSocket;

  public VsctlOvsDatabase(CommandRunner runner, Path dbSocket) {
    this.runner = runner;
    this.dbSocket = dbSocket;
  }

  @Override
  public List<OvsdbRow> list(String table, List<String> columns, Duration timeout) {
    List<String> cols = new ArrayList<>();
    cols.add("_uuid");
    columns.stream().filter(c -> !c.equals("_uuid")).forEach(cols::add);
    for (String c : cols) {
      if (!IDENT.matcher(c).matches()) {
        throw new IllegalArgumentException("bad column " + c);
      }
    }
    if (!IDENT.matcher(table).matches()) {
      throw new IllegalArgumentException("bad table " + table);
    }
    long secs = Math.max(1, timeout.toSeconds());
    List<String> argv =
        List.of(
            "ovs-vsctl",
            "--db=unix:" + dbSocket,
            "--timeout=" + secs,
            "--format=json",
            "--columns=" + String.join(",", cols),
            "list",
            table);
    String out = runner.check(Command.of(argv).withTimeout(timeout.plusSeconds(1))).stdout();
    return parse(out);
  }

  /** Parses ovs-vsctl's --format=json table output into rows. */
  public static List<OvsdbRow> parse(String json) {
    try {
      JsonNode root = JsonRpcConnection.JSON.readTree(json);
      JsonNode headings = root.get("headings");
      JsonNode data = root.get("data");
      if (headings == null || data == null) {
        throw new ProtocolException("ovs-vsctl json without headings/data");
      }
      List<OvsdbRow> rows = new ArrayList<>();
      for (JsonNode r : data) {
        Map<String, JsonNode> m = new LinkedHashMap<>();
        for (int i = 0; i < headings.size(); i++) {
          m.put(headings.get(i).asText(), r.get(i));
        }
        rows.add(new OvsdbRow(m));
      }
      return rows;
    } catch (IOException e) {
      throw new ProtocolException("ovs-vsctl printed malformed JSON: " + e.getMessage(), e);
    }
  }

  @Override
  public String via() {
    return "exec";
  }
}
