package io.podpath.aggregator.render;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.podpath.proto.v1.LivePoint;
import io.podpath.proto.v1.LiveTrace;
import io.podpath.proto.v1.TraceResult;
import java.util.Locale;

/** The live trace's part of a trace's text and JSON: prediction beside observation, per point. */
final class LiveRender {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private LiveRender() {}

  static String text(TraceResult r) {
    if (!r.hasLive()) {
      return "";
    }
    LiveTrace l = r.getLive();
    StringBuilder sb = new StringBuilder();
    sb.append("live     ").append(verdict(l)).append("  ").append(l.getFinding()).append('\n');
    if (!l.getOutcome().isEmpty()) {
      sb.append("  exchange ").append(l.getOutcome()).append('\n');
    }
    sb.append("  mark ").append(l.getMark()).append("; to ").append(l.getEndpoint()).append('\n');
    for (LivePoint p : l.getPointsList()) {
      sb.append(
          String.format(
              Locale.ROOT,
              "  %-8s %-44s %-16s model %-8s live %s%n",
              p.getNode(),
              p.getWhat(),
              p.getInterface(),
              p.getNotModelled() ? "-" : p.getPredicted() ? "seen" : "not seen",
              p.getSeen()
                  ? String.format(Locale.ROOT, "seen +%.3f ms", p.getSinceSendMillis())
                  : "not seen"));
    }
    sb.append("  sent: ").append(l.getSendDetail()).append('\n');
    return sb.toString();
  }

  private static String verdict(LiveTrace l) {
    String v = l.getLiveVerdict().name().replace("VERDICT_", "");
    return l.getDisagrees() ? v + " (model-disagrees)" : v;
  }

  static ObjectNode json(LiveTrace l) {
    ObjectNode n = F.objectNode();
    n.put("modelVerdict", l.getModelVerdict().name().replace("VERDICT_", ""));
    n.put("liveVerdict", l.getLiveVerdict().name().replace("VERDICT_", ""));
    n.put("disagrees", l.getDisagrees());
    if (l.getDisagrees()) {
      n.put("finding", "model-disagrees");
    }
    n.put("summary", l.getFinding());
    n.put("outcome", l.getOutcome());
    n.put("mark", l.getMark());
    n.put("endpoint", l.getEndpoint());
    n.put("sendDetail", l.getSendDetail());
    ArrayNode pts = n.putArray("points");
    for (LivePoint p : l.getPointsList()) {
      ObjectNode o = pts.addObject();
      o.put("node", p.getNode());
      o.put("what", p.getWhat());
      o.put("interface", p.getInterface());
      o.put("predicted", p.getPredicted());
      o.put("reply", p.getReply());
      o.put("modelled", !p.getNotModelled());
      o.put("seen", p.getSeen());
      if (p.getSeen()) {
        o.put("sinceSendMillis", p.getSinceSendMillis());
      }
    }
    return n;
  }
}
