package io.podpath.aggregator.render;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.podpath.proto.v1.LiveExchange;
import io.podpath.proto.v1.LivePoint;
import io.podpath.proto.v1.LiveTrace;
import io.podpath.proto.v1.TraceResult;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

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
    if (l.getExchangesCount() > 1) {
      sb.append("  exchanges: ").append(tally(l)).append('\n');
      for (LiveExchange e : l.getExchangesList()) {
        sb.append(
            String.format(
                Locale.ROOT,
                "    %-48s %-9s %s%s%n",
                e.getMark(),
                e.getLiveVerdict().name().replace("VERDICT_", ""),
                e.getOutcome(),
                e.getDisagrees() ? " (model-disagrees)" : ""));
      }
    }
    return sb.toString();
  }

  /** "3 of 5 REPLIED, 2 LOST after node1 eth0 (…)", in the order outcomes first appear. */
  static String tally(LiveTrace l) {
    Map<String, Integer> by = new LinkedHashMap<>();
    l.getExchangesList().forEach(e -> by.merge(e.getOutcome(), 1, Integer::sum));
    StringBuilder sb = new StringBuilder();
    by.forEach(
        (outcome, n) ->
            sb.append(sb.length() == 0 ? "" : ", ")
                .append(n)
                .append(" of ")
                .append(l.getExchangesCount())
                .append(' ')
                .append(outcome.isEmpty() ? "no outcome" : outcome));
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
    if (l.getExchangesCount() > 1) {
      n.put("tally", tally(l));
      ArrayNode ex = n.putArray("exchanges");
      for (LiveExchange e : l.getExchangesList()) {
        ObjectNode o = ex.addObject();
        o.put("mark", e.getMark());
        o.put("liveVerdict", e.getLiveVerdict().name().replace("VERDICT_", ""));
        o.put("outcome", e.getOutcome());
        o.put("endpoint", e.getEndpoint());
        o.put("disagrees", e.getDisagrees());
        o.put("sendDetail", e.getSendDetail());
      }
    }
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
