package io.podpath.aggregator.render;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.podpath.proto.v1.PodInspection;
import io.podpath.proto.v1.Route;
import io.podpath.proto.v1.Severity;
import java.io.UncheckedIOException;

/** Renders a pod inspection as text, JSON or YAML. */
public final class InspectRenderer {
  private InspectRenderer() {}

  /** True when the agent reported an ERROR finding (the command then exits 1). */
  public static boolean hasErrors(PodInspection p) {
    return p.getFindingsList().stream().anyMatch(f -> f.getSeverity() == Severity.SEVERITY_ERROR);
  }

  /** {@code verbose}: every route attribute and each finding's stable code. */
  public static String render(PodInspection p, OutputFormat format, boolean verbose, Style style) {
    try {
      return switch (format) {
        case json -> TraceRenderer.Mappers.JSON.writeValueAsString(tree(p)) + "\n";
        case yaml -> TraceRenderer.Mappers.YAML.writeValueAsString(tree(p));
        case text, dot, svg -> text(p, verbose, style);
      };
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  static ObjectNode tree(PodInspection p) {
    ObjectNode n = JsonNodeFactory.instance.objectNode();
    n.put("pod", p.getPod().getNamespace() + "/" + p.getPod().getName());
    n.put("node", p.getNode());
    n.put("netns", p.getNetns());
    n.put("podInterface", p.getPodInterface());
    n.put("ifindex", p.getIfindex());
    n.put("iflink", p.getIflink());
    n.put("hostInterface", p.getHostInterface());
    n.put("hostIfindex", p.getHostIfindex());
    n.put("bridge", p.getBridge());
    n.put("ovsPort", p.getOvsPort());
    n.put("ofport", p.getOfport());
    n.put("ifaceId", p.getIfaceId());
    if (!p.getCni().isEmpty()) {
      n.put("cni", p.getCni()); // the agent's CNI profile that found the port
    }
    n.put("mac", p.getMac());
    ArrayNode ips = n.putArray("ips");
    p.getIpsList().forEach(ips::add);
    n.put("mtu", p.getMtu());
    ArrayNode routes = n.putArray("routes");
    for (Route r : p.getRoutesList()) {
      ObjectNode o = routes.addObject().put("destination", r.getDestination());
      if (!r.getGateway().isEmpty()) {
        o.put("gateway", r.getGateway());
      }
      o.put("device", r.getDevice());
      if (r.getMtu() != 0) {
        o.put("mtu", r.getMtu());
      }
    }
    n.set("findings", TraceJson.findings(p.getFindingsList()));
    return n;
  }

  static String text(PodInspection p, boolean verbose, Style style) {
    StringBuilder sb = new StringBuilder();
    sb.append(style.bold("pod " + p.getPod().getNamespace() + "/" + p.getPod().getName()))
        .append(" on ")
        .append(p.getNode())
        .append('\n');
    kv(sb, "netns", p.getNetns());
    kv(sb, "eth0", p.getPodInterface() + " ifindex " + p.getIfindex() + " iflink " + p.getIflink());
    kv(sb, "host veth", p.getHostInterface() + " ifindex " + p.getHostIfindex());
    kv(
        sb,
        "OVS port",
        p.getBridge()
            + " "
            + p.getOvsPort()
            + " ofport "
            + p.getOfport()
            + " iface-id "
            + p.getIfaceId());
    if (!p.getCni().isEmpty()) {
      kv(sb, "cni", p.getCni());
    }
    kv(sb, "mac", p.getMac());
    kv(sb, "ips", String.join(", ", p.getIpsList()));
    kv(sb, "mtu", Integer.toString(p.getMtu()));
    for (Route r : p.getRoutesList()) {
      kv(
          sb,
          "route",
          r.getDestination()
              + (r.getGateway().isEmpty() ? "" : " via " + r.getGateway())
              + " dev "
              + r.getDevice()
              + (verbose ? routeDetails(r) : ""));
    }
    if (p.getFindingsCount() == 0) {
      sb.append("  ").append(style.green("no disagreement found")).append('\n');
    }
    p.getFindingsList()
        .forEach(
            f ->
                sb.append("  ")
                    .append(severity(f.getSeverity(), style))
                    .append(' ')
                    .append(f.getMessage())
                    .append(verbose ? " [" + f.getCode() + "]" : "")
                    .append('\n'));
    return sb.toString();
  }

  private static String severity(Severity s, Style style) {
    String name = s.name().replace("SEVERITY_", "");
    return switch (s) {
      case SEVERITY_ERROR -> style.red(name);
      case SEVERITY_WARNING -> style.yellow(name);
      default -> name;
    };
  }

  private static String routeDetails(Route r) {
    StringBuilder b = new StringBuilder();
    if (!r.getProtocol().isEmpty()) {
      b.append(" proto ").append(r.getProtocol());
    }
    if (!r.getScope().isEmpty()) {
      b.append(" scope ").append(r.getScope());
    }
    if (!r.getSource().isEmpty()) {
      b.append(" src ").append(r.getSource());
    }
    if (r.getMtu() != 0) {
      b.append(" mtu ").append(r.getMtu());
    }
    return b.toString();
  }

  private static void kv(StringBuilder sb, String k, String v) {
    sb.append(String.format("  %-10s %s%n", k, v));
  }
}
