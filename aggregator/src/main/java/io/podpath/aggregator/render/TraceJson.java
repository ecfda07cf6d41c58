package io.podpath.aggregator.render;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.podpath.proto.v1.DirectionTrace;
import io.podpath.proto.v1.DropInfo;
import io.podpath.proto.v1.EndpointTrace;
import io.podpath.proto.v1.Finding;
import io.podpath.proto.v1.NodeObservation;
import io.podpath.proto.v1.NodeTrace;
import io.podpath.proto.v1.OvnLogicalFlow;
import io.podpath.proto.v1.Packet;
import io.podpath.proto.v1.TableStep;
import io.podpath.proto.v1.TraceOutcome;
import io.podpath.proto.v1.TraceResult;
import io.podpath.proto.v1.TunnelOutput;
import java.util.Locale;

/**
 * The one JSON/YAML document of a trace, used by {@code -o json|yaml} and the web page's {@code
 * /api/trace}: {@code source}, {@code destination}, {@code delivered} (the exit-0 condition) and
 * {@code endpoints[]} with a {@code forward}/{@code reply} pair each. A pod or IP destination has
 * one endpoint, a Service one per backend, so a script reads every trace the same way.
 */
final class TraceJson {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private TraceJson() {}

  static boolean isService(TraceResult r) {
    if (r.getEndpointsCount() != 1) {
      return true;
    }
    EndpointTrace e = r.getEndpoints(0);
    return !e.getForward().getPacket().getDstIp().equals(e.getIp());
  }

  static ObjectNode of(TraceResult r, boolean verbose) {
    ObjectNode root = F.objectNode();
    root.put("source", r.getSource());
    root.put("destination", r.getDestination());
    root.put("delivered", TraceGoal.allDelivered(r));
    root.put("reached", TraceGoal.allReached(r));
    root.put("outcome", TraceGoal.sentence(r));
    ArrayNode eps = root.putArray("endpoints");
    r.getEndpointsList().forEach(e -> eps.add(endpoint(e, verbose)));
    if (r.hasLive()) {
      root.set("live", LiveRender.json(r.getLive()));
    }
    return root;
  }

  private static ObjectNode endpoint(EndpointTrace e, boolean verbose) {
    ObjectNode n = F.objectNode();
    n.put("endpoint", e.getEndpoint());
    if (e.hasPod()) {
      n.put("pod", e.getPod().getNamespace() + "/" + e.getPod().getName());
    }
    n.put("ip", e.getIp());
    if (e.getPort() != 0) {
      n.put("port", e.getPort());
    }
    n.set("forward", direction(e.getForward(), verbose));
    if (e.hasReply()) {
      n.set("reply", direction(e.getReply(), verbose));
    }
    return n;
  }

  static String verdict(DirectionTrace d) {
    return d.getVerdict().name().replace("VERDICT_", "");
  }

  private static ObjectNode direction(DirectionTrace d, boolean verbose) {
    ObjectNode n = F.objectNode();
    n.put("verdict", verdict(d));
    n.put("summary", d.getSummary());
    putIf(n, "droppedNode", d.getDroppedNode());
    if (d.hasDrop()) {
      n.set("drop", drop(d.getDrop()));
    }
    putIf(n, "leftVia", d.getLeftVia());
    putIf(n, "reason", d.getReason());
    if (d.getAgentUnreachable()) {
      n.put("agentUnreachable", true);
    }
    n.set("packet", packet(d.getPacket()));
    if (d.getNotesCount() > 0) {
      ArrayNode notes = n.putArray("notes");
      d.getNotesList().forEach(notes::add);
    }
    ArrayNode nodes = n.putArray("nodes");
    d.getNodesList().forEach(o -> nodes.add(node(o, verbose)));
    return n;
  }

  private static ObjectNode node(NodeObservation o, boolean verbose) {
    NodeTrace t = o.getTrace();
    ObjectNode n = F.objectNode();
    n.put("node", o.getNode());
    n.put("role", o.getRole().name().replace("ROLE_", "").toLowerCase(Locale.ROOT));
    putIf(n, "bridge", t.getBridge());
    putIf(n, "flow", t.getFlow());
    n.set("outcome", outcome(t.getOutcome()));
    putIf(n, "finalFlow", t.getFinalFlow());
    putIf(n, "datapathActions", t.getDatapathActions());
    putIf(n, "via", t.getVia());
    ArrayNode steps = n.putArray("steps");
    t.getStepsList().forEach(s -> steps.add(step(s)));
    if (t.getFindingsCount() > 0) {
      n.set("findings", findings(t.getFindingsList()));
    }
    if (t.getConntrackCount() > 0) {
      ArrayNode ct = n.putArray("conntrack");
      t.getConntrackList()
          .forEach(
              c ->
                  ct.addObject()
                      .put("table", c.getTable())
                      .put("count", c.getCount())
                      .put("max", c.getMax())
                      .put("full", c.getFull()));
    }
    if (t.getConntrackEntriesCount() > 0) {
      ArrayNode entries = n.putArray("conntrackEntries");
      t.getConntrackEntriesList().forEach(entries::add);
    }
    HopFacts.json(n, t);
    if (verbose) {
      putIf(n, "raw", t.getRaw());
    }
    return n;
  }

  static ArrayNode findings(java.util.List<Finding> findings) {
    ArrayNode a = F.arrayNode();
    for (Finding f : findings) {
      a.addObject()
          .put("severity", f.getSeverity().name().replace("SEVERITY_", "").toLowerCase(Locale.ROOT))
          .put("code", f.getCode())
          .put("message", f.getMessage());
    }
    return a;
  }

  private static ObjectNode step(TableStep s) {
    ObjectNode n = F.objectNode();
    n.put("table", s.getTable());
    n.put("priority", s.getPriority());
    putIf(n, "cookie", s.getCookie());
    putIf(n, "match", s.getMatch());
    putIf(n, "actions", s.getActions());
    if (s.getRecirculation() != 0) {
      n.put("recirculation", s.getRecirculation());
    }
    if (s.hasLogicalFlow()) {
      OvnLogicalFlow lf = s.getLogicalFlow();
      ObjectNode l = n.putObject("logicalFlow");
      putIf(l, "uuid", lf.getUuid());
      putIf(l, "pipeline", lf.getPipeline());
      l.put("table", lf.getTable());
      putIf(l, "stage", lf.getStage());
      putIf(l, "datapath", lf.getDatapath());
      putIf(l, "match", lf.getMatch());
      putIf(l, "actions", lf.getActions());
      if (lf.hasNetworkPolicy()) {
        l.put("networkPolicy", Describe.policy(lf.getNetworkPolicy()));
      }
    }
    return n;
  }

  private static ObjectNode outcome(TraceOutcome o) {
    ObjectNode n = F.objectNode();
    n.put("kind", Describe.kind(o.getKind()));
    putIf(n, "summary", o.getSummary());
    putIf(n, "portName", o.getPortName());
    if (o.getOfport() != 0) {
      n.put("ofport", o.getOfport());
    }
    if (o.hasPod()) {
      n.put("pod", o.getPod().getNamespace() + "/" + o.getPod().getName());
    }
    if (o.hasTunnel()) {
      n.set("tunnel", tunnel(o.getTunnel()));
    }
    if (o.hasDrop()) {
      n.set("drop", drop(o.getDrop()));
    }
    putIf(n, "recirculation", o.getRecirculation());
    return n;
  }

  private static ObjectNode tunnel(TunnelOutput t) {
    ObjectNode n = F.objectNode();
    putIf(n, "portName", t.getPortName());
    putIf(n, "type", t.getType());
    n.put("remoteIp", t.getRemoteIp());
    putIf(n, "localIp", t.getLocalIp());
    n.put("vni", t.getVni());
    ArrayNode opts = n.putArray("geneveOptions");
    t.getGeneveOptionsList().forEach(o -> opts.add(Describe.geneve(o)));
    if (t.hasInner()) {
      n.set("inner", packet(t.getInner()));
    }
    putIf(n, "innerFlow", t.getInnerFlow());
    return n;
  }

  private static ObjectNode drop(DropInfo d) {
    ObjectNode n = F.objectNode();
    n.put("table", d.getTable());
    putIf(n, "cookie", d.getCookie());
    putIf(n, "reason", d.getReason());
    if (d.hasNetworkPolicy()) {
      n.putObject("networkPolicy")
          .put("namespace", d.getNetworkPolicy().getNamespace())
          .put("name", d.getNetworkPolicy().getName())
          .put(
              "direction",
              d.getNetworkPolicy()
                  .getDirection()
                  .name()
                  .replace("DIRECTION_", "")
                  .toLowerCase(Locale.ROOT));
    }
    if (d.hasLogicalFlow()) {
      putIf(n, "stage", d.getLogicalFlow().getStage());
    }
    return n;
  }

  private static ObjectNode packet(Packet p) {
    ObjectNode n = F.objectNode();
    n.put("protocol", Describe.protocol(p.getProtocol()));
    n.put("srcIp", p.getSrcIp());
    n.put("dstIp", p.getDstIp());
    if (p.getSrcPort() != 0 || p.getDstPort() != 0) {
      n.put("srcPort", p.getSrcPort());
      n.put("dstPort", p.getDstPort());
    }
    if (p.hasIcmpType()) {
      n.put("icmpType", p.getIcmpType());
    }
    putIf(n, "srcMac", p.getSrcMac());
    putIf(n, "dstMac", p.getDstMac());
    if (p.getTtl() != 0) {
      n.put("ttl", p.getTtl());
    }
    return n;
  }

  private static void putIf(ObjectNode n, String key, String value) {
    if (!value.isEmpty()) {
      n.put(key, value);
    }
  }
}
