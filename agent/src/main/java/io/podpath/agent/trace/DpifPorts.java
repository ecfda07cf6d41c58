package io.podpath.agent.trace;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The datapath-port → OpenFlow-port map from {@code dpif/show}: "Datapath actions" use datapath
 * numbers, flows and OVSDB use OpenFlow ones.
 */
public record DpifPorts(List<Port> ports) {
  private static final Pattern BRIDGE = Pattern.compile("^  (\\S+):\\s*$");
  private static final Pattern PORT =
      Pattern.compile("^    (\\S+) (\\d+)/(\\d+): \\(([^:)]*)(?::\\s*(.*))?\\)\\s*$");

  /** One port: its bridge, name, OpenFlow number, datapath number, type and options text. */
  public record Port(
      String bridge, String name, int ofport, int dpPort, String type, String options) {}

  public DpifPorts {
    ports = List.copyOf(ports);
  }

  /** Parses dpif/show; lines it does not understand are skipped (total). */
  public static DpifPorts parse(String text) {
    List<Port> out = new ArrayList<>();
    String bridge = "";
    for (String line : (text == null ? "" : text).split("\n")) {
      Matcher b = BRIDGE.matcher(line);
      if (b.matches()) {
        bridge = b.group(1);
        continue;
      }
      Matcher p = PORT.matcher(line);
      if (p.matches()) {
        try {
          out.add(
              new Port(
                  bridge,
                  p.group(1),
                  Integer.parseInt(p.group(2)),
                  Integer.parseInt(p.group(3)),
                  p.group(4),
                  p.group(5) == null ? "" : p.group(5)));
        } catch (NumberFormatException e) {
          // a port number beyond int: not a port we can name
        }
      }
    }
    return new DpifPorts(out);
  }

  public Optional<Port> byDatapathPort(int dp) {
    // several bridges share one datapath, so a datapath number is unique across them
    return ports.stream().filter(p -> p.dpPort() == dp).findFirst();
  }

  /** Whether every datapath port these actions send to (or tunnel through) is listed here. */
  public boolean listsAll(List<DpAction> actions) {
    for (DpAction a : actions) {
      boolean ok = true;
      if (a instanceof DpAction.Output o) {
        ok = byDatapathPort(o.port()).isPresent();
      } else if (a instanceof DpAction.TunnelPush t) {
        ok = byDatapathPort(t.tunnelPort()).isPresent() && byDatapathPort(t.outPort()).isPresent();
      } else if (a instanceof DpAction.TunnelPop t) {
        ok = byDatapathPort(t.port()).isPresent();
      } else if (a instanceof DpAction.Clone c) {
        ok = listsAll(c.actions());
      }
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  public Optional<Port> byName(String name) {
    return ports.stream().filter(p -> p.name().equals(name)).findFirst();
  }

  public Map<Integer, Port> byDatapath() {
    Map<Integer, Port> m = new LinkedHashMap<>();
    ports.forEach(p -> m.putIfAbsent(p.dpPort(), p));
    return m;
  }
}
