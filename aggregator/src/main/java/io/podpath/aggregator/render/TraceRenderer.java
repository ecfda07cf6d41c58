package io.podpath.aggregator.render;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.podpath.proto.v1.DirectionTrace;
import io.podpath.proto.v1.EndpointTrace;
import io.podpath.proto.v1.NodeObservation;
import io.podpath.proto.v1.NodeTrace;
import io.podpath.proto.v1.TableStep;
import io.podpath.proto.v1.TraceResult;
import io.podpath.proto.v1.Verdict;
import java.io.UncheckedIOException;
import java.util.Locale;

/** Renders a trace as text, JSON, YAML, Graphviz DOT or SVG. */
public final class TraceRenderer {
  /** Built on first use: the CLI's text output, the common case, needs neither. */
  static final class Mappers {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    static final ObjectMapper YAML =
        new ObjectMapper(new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER));

    private Mappers() {}
  }

  private TraceRenderer() {}

  public static String render(TraceResult r, OutputFormat format, boolean verbose, Style style) {
    try {
      return switch (format) {
        case json -> Mappers.JSON.writeValueAsString(TraceJson.of(r, verbose)) + "\n";
        case yaml -> Mappers.YAML.writeValueAsString(TraceJson.of(r, verbose));
        case dot -> TraceDot.render(r);
        case svg -> TraceSvg.render(r);
        case text -> text(r, verbose, style) + LiveRender.text(r);
      };
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String text(TraceResult r, boolean verbose, Style style) {
    StringBuilder sb = new StringBuilder();
    boolean service = TraceJson.isService(r);
    for (EndpointTrace e : r.getEndpointsList()) {
      if (service) {
        sb.append(style.bold("endpoint " + e.getEndpoint())).append('\n');
      }
      direction(sb, "forward", e.getForward(), verbose, style);
      if (e.hasReply()) {
        direction(sb, "reply", e.getReply(), verbose, style);
      }
      if (service) {
        sb.append('\n');
      }
    }
    // The same rule as the exit code (TraceGoal), so the last line and $? agree.
    String outcome = TraceGoal.sentence(r);
    sb.append(TraceGoal.allReached(r) ? style.green(outcome) : style.yellow(outcome)).append('\n');
    return sb.toString();
  }

  private static void direction(
      StringBuilder sb, String name, DirectionTrace d, boolean verbose, Style style) {
    String verdict = TraceJson.verdict(d);
    String coloured =
        d.getVerdict() == Verdict.VERDICT_DELIVERED
            ? style.green(verdict)
            : d.getVerdict() == Verdict.VERDICT_DROPPED
                ? style.red(verdict)
                : style.yellow(verdict);
    sb.append(String.format("%-8s", name))
        .append(' ')
        .append(coloured)
        .append("  ")
        .append(d.getSummary())
        .append('\n');
    sb.append("  packet ").append(Describe.packet(d.getPacket())).append('\n');
    int width = d.getNodesList().stream().mapToInt(n -> label(n).length()).max().orElse(0);
    for (NodeObservation o : d.getNodesList()) {
      NodeTrace t = o.getTrace();
      sb.append("  ")
          .append(String.format("%-" + width + "s", label(o)))
          .append("  ")
          .append(Describe.outcome(t.getOutcome()));
      if (t.getStepsCount() > 0) {
        sb.append(
            style.dim("  [" + t.getStepsCount() + (t.getStepsCount() == 1 ? " flow]" : " flows]")));
      }
      sb.append('\n');
      t.getFindingsList()
          .forEach(
              f ->
                  sb.append("    finding ")
                      .append(f.getCode())
                      .append(": ")
                      .append(f.getMessage())
                      .append('\n'));
      HopFacts.lines(t).forEach(l -> sb.append("    ").append(l).append('\n'));
      if (verbose) {
        evidence(sb, t);
      }
    }
    d.getNotesList().forEach(n -> sb.append("  note: ").append(n).append('\n'));
  }

  private static String label(NodeObservation o) {
    return o.getNode()
        + " ("
        + o.getRole().name().replace("ROLE_", "").toLowerCase(Locale.ROOT).replace('_', ' ')
        + ")";
  }

  private static void evidence(StringBuilder sb, NodeTrace t) {
    line(sb, "flow", t.getFlow());
    for (TableStep s : t.getStepsList()) {
      StringBuilder l = new StringBuilder("      ").append("  ".repeat(Math.min(s.getDepth(), 8)));
      l.append("table=").append(s.getTable()).append(" priority=").append(s.getPriority());
      if (!s.getCookie().isEmpty()) {
        l.append(" cookie=").append(s.getCookie());
      }
      if (s.hasLogicalFlow() && !s.getLogicalFlow().getStage().isEmpty()) {
        l.append(" [").append(s.getLogicalFlow().getStage()).append(']');
      }
      l.append(' ').append(s.getMatch()).append(" -> ").append(s.getActions());
      sb.append(l).append('\n');
    }
    line(sb, "final flow", t.getFinalFlow());
    line(sb, "datapath actions", t.getDatapathActions());
    if (!t.getRaw().isEmpty()) {
      sb.append("    raw (")
          .append(t.getVia().isEmpty() ? "ofproto/trace" : t.getVia())
          .append("):\n");
      t.getRaw().lines().forEach(l -> sb.append("      ").append(l).append('\n'));
    }
  }

  private static void line(StringBuilder sb, String key, String value) {
    if (!value.isEmpty()) {
      sb.append("    ").append(key).append(": ").append(value).append('\n');
    }
  }
}
