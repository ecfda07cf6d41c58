package io.podpath.aggregator.render;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.podpath.proto.v1.CheckResult;
import io.podpath.proto.v1.CheckStatus;
import io.podpath.proto.v1.Evidence;
import io.podpath.proto.v1.NodeReport;
import io.podpath.proto.v1.SweepResult;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * A sweep result as text (one line per check; -v adds evidence), JSON or YAML. JSON/YAML shape:
 * {@code {startedAt, finishedAt, nodes: [{node, error?, checks: [{id, status, summary, remediation,
 * durationMicros, evidence: [{source, value}]}]}], clusterChecks: [...]}}; status is OK, WARN,
 * FAIL, UNKNOWN, NOT_APPLICABLE or UNREACHABLE.
 */
public final class SweepRenderer {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private SweepRenderer() {}

  /** {@code format}: text, json or yaml. */
  public static String render(SweepResult r, String format, boolean verbose, boolean color) {
    try {
      return switch (format) {
        case "json" -> JSON.writeValueAsString(tree(r)) + "\n";
        case "yaml" -> YAML.writeValueAsString(tree(r));
        default -> text(r, verbose, color);
      };
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** "OK", "WARN", "FAIL", "UNKNOWN", "NOT_APPLICABLE", "UNREACHABLE". */
  public static String status(CheckStatus s) {
    return s.name().replace("CHECK_STATUS_", "");
  }

  /** True when every check is OK or NOT_APPLICABLE. */
  public static boolean healthy(SweepResult r) {
    return r.getNodesList().stream()
            .flatMap(n -> n.getChecksList().stream())
            .allMatch(SweepRenderer::good)
        && r.getClusterChecksList().stream().allMatch(SweepRenderer::good);
  }

  private static boolean good(CheckResult c) {
    return c.getStatus() == CheckStatus.CHECK_STATUS_OK
        || c.getStatus() == CheckStatus.CHECK_STATUS_NOT_APPLICABLE;
  }

  static ObjectNode tree(SweepResult r) {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    root.put("startedAt", seconds(r.getStartedAt()));
    root.put("finishedAt", seconds(r.getFinishedAt()));
    ArrayNode nodes = root.putArray("nodes");
    for (NodeReport n : r.getNodesList()) {
      ObjectNode o = nodes.addObject();
      o.put("node", n.getNode());
      if (!n.getError().isEmpty()) {
        o.put("error", n.getError());
      }
      ArrayNode checks = o.putArray("checks");
      n.getChecksList().forEach(c -> check(checks.addObject(), c));
    }
    ArrayNode cluster = root.putArray("clusterChecks");
    r.getClusterChecksList().forEach(c -> check(cluster.addObject(), c));
    return root;
  }

  private static void check(ObjectNode o, CheckResult c) {
    o.put("id", c.getId());
    o.put("status", status(c.getStatus()));
    o.put("summary", c.getSummary());
    if (!c.getRemediation().isEmpty()) {
      o.put("remediation", c.getRemediation());
    }
    o.put("durationMicros", c.getDurationMicros());
    ArrayNode ev = o.putArray("evidence");
    for (Evidence e : c.getEvidenceList()) {
      ev.addObject().put("source", e.getSource()).put("value", e.getValue());
    }
  }

  /**
   * Problems first: the nodes with a check not OK come first with those checks; each healthy node
   * is one summary line. {@code verbose}: every check of every node, with its evidence.
   */
  static String text(SweepResult r, boolean verbose, boolean color) {
    StringBuilder b = new StringBuilder();
    List<NodeReport> sick =
        r.getNodesList().stream()
            .filter(
                n ->
                    !n.getError().isEmpty()
                        || !n.getChecksList().stream().allMatch(SweepRenderer::good))
            .toList();
    for (NodeReport n : verbose ? r.getNodesList() : sick) {
      b.append(n.getNode())
          .append(n.getError().isEmpty() ? "" : "  (" + n.getError() + ")")
          .append('\n');
      n.getChecksList().stream()
          .filter(c -> verbose || !good(c))
          .forEach(c -> line(b, c, verbose, color));
    }
    if (!verbose) {
      for (NodeReport n : r.getNodesList()) {
        if (sick.contains(n)) {
          continue;
        }
        long na =
            n.getChecksList().stream()
                .filter(c -> c.getStatus() == CheckStatus.CHECK_STATUS_NOT_APPLICABLE)
                .count();
        b.append(n.getNode())
            .append("  OK: ")
            .append(n.getChecksCount() - na)
            .append(" checks OK")
            .append(na == 0 ? "" : ", " + na + " not applicable")
            .append('\n');
      }
    }
    if (r.getClusterChecksCount() > 0) {
      b.append("cluster\n");
      r.getClusterChecksList().forEach(c -> line(b, c, verbose, color));
    }
    b.append(healthy(r) ? "healthy" : "UNHEALTHY")
        .append(" (sweep ")
        .append(seconds(r.getStartedAt()))
        .append(" → ")
        .append(seconds(r.getFinishedAt()))
        .append(verbose ? "" : "; -v shows every check")
        .append(")\n");
    return b.toString();
  }

  /** RFC 3339 to the second, in UTC ("2026-12-05T09:05:16Z"); unparseable text is kept. */
  public static String seconds(String instant) {
    try {
      return Instant.parse(instant).truncatedTo(ChronoUnit.SECONDS).toString();
    } catch (DateTimeParseException e) {
      return instant;
    }
  }

  private static void line(StringBuilder b, CheckResult c, boolean verbose, boolean color) {
    String s = status(c.getStatus());
    String code =
        switch (c.getStatus()) {
          case CHECK_STATUS_OK -> "32";
          case CHECK_STATUS_WARN, CHECK_STATUS_UNKNOWN -> "33";
          case CHECK_STATUS_FAIL, CHECK_STATUS_UNREACHABLE -> "31";
          default -> "2";
        };
    // One space at least after the longest status (NOT_APPLICABLE, 14 characters).
    String padded = String.format("%-15s", s);
    b.append("  ")
        .append(color ? "\u001b[" + code + "m" + padded + "\u001b[0m" : padded)
        .append(String.format("%-20s ", c.getId()))
        .append(c.getSummary())
        .append('\n');
    if (!good(c) && !c.getRemediation().isEmpty()) {
      b.append("  ")
          .append(" ".repeat(15))
          .append(" ".repeat(21))
          .append("fix: ")
          .append(c.getRemediation())
          .append('\n');
    }
    if (verbose) {
      for (Evidence e : c.getEvidenceList()) {
        b.append("  ")
            .append(" ".repeat(36))
            .append("· ")
            .append(e.getSource())
            .append(" = ")
            .append(e.getValue().replace("\n", "\n" + " ".repeat(40)))
            .append('\n');
      }
    }
  }
}
