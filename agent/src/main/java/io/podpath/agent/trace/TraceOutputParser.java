package io.podpath.agent.trace;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Parses the text of {@code ofproto/trace} (OVS 3.x): the input flow, the bridge, each table lookup
 * with its actions and notes, nested bridges, one section per followed recirculation, the final
 * flow, megaflow and datapath actions of each pass. Total: it never throws; what it cannot place
 * becomes a {@link TraceFinding}.
 */
public final class TraceOutputParser {
  private static final Pattern TABLE = Pattern.compile("^( *)(\\d{1,3})\\. (.*)$");
  private static final Pattern LOOKUP =
      Pattern.compile("^(?:(.*), )?priority (\\d+)(?:, cookie (0x[0-9a-fA-F]+))?$");
  private static final Pattern BRIDGE = Pattern.compile("^\\s*bridge\\(\"([^\"]*)\"\\)\\s*$");
  private static final Pattern RECIRC = Pattern.compile("^recirc\\((0x[0-9a-fA-F]+)\\) - (.*)$");
  // compiled once: String.matches would compile them for every line of every trace
  private static final Pattern RULE = Pattern.compile("^\\s*-+\\s*$|^=+$");
  private static final int MAX_UNPARSED_FINDINGS = 20;

  private TraceOutputParser() {}

  public static ParsedTrace parse(String text) {
    return new State().run(text == null ? "" : text);
  }

  private static final class State {
    final List<TracePass> passes = new ArrayList<>();
    final List<TraceFinding> findings = new ArrayList<>();
    String topBridge = "";
    // nested bridges (a patch or tunnel leads into another bridge): depth and name, outermost first
    final List<Integer> bridgeDepths = new ArrayList<>();
    final List<String> bridgeNames = new ArrayList<>();
    // the pass being read
    List<TraceStep> steps = new ArrayList<>();
    @Nullable String flow;
    String finalFlow = "";
    String megaflow = "";
    String actions = "";
    String recircId = "";
    String resumeNote = "";
    String pendingRecirc = "";
    String pendingNote = "";
    // the step being read
    @Nullable StepBuilder step;
    int unparsed;

    ParsedTrace run(String text) {
      for (String line : text.split("\n", -1)) {
        try {
          line(line.replace("\r", ""));
        } catch (RuntimeException e) {
          unparsed(line, e.toString());
        }
      }
      endPass();
      if (passes.isEmpty()) {
        findings.add(
            TraceFinding.warning(
                "trace-no-flow", "ofproto/trace printed no \"Flow:\" line: " + firstLine(text)));
      }
      return new ParsedTrace(topBridge, passes, findings);
    }

    void line(String line) {
      if (line.isBlank()) {
        return;
      }
      if (line.startsWith("Flow: ")) {
        endPass();
        flow = line.substring(6).strip();
        recircId = pendingRecirc;
        resumeNote = pendingNote;
        pendingRecirc = "";
        pendingNote = "";
        return;
      }
      if (line.startsWith("Final flow: ")) {
        endStep();
        String f = line.substring(12).strip();
        finalFlow = f.equals("unchanged") && flow != null ? flow : f;
        return;
      }
      if (line.startsWith("Megaflow: ")) {
        megaflow = line.substring(10).strip();
        return;
      }
      if (line.startsWith("Datapath actions: ")) {
        actions = line.substring(18).strip();
        return;
      }
      Matcher m = RECIRC.matcher(line);
      if (m.matches()) {
        pendingRecirc = m.group(1);
        pendingNote = m.group(2);
        return;
      }
      if (RULE.matcher(line).matches()) {
        return;
      }
      m = BRIDGE.matcher(line);
      if (m.matches()) {
        int d = indent(line) / 4;
        while (!bridgeDepths.isEmpty() && bridgeDepths.get(bridgeDepths.size() - 1) >= d) {
          bridgeDepths.remove(bridgeDepths.size() - 1);
          bridgeNames.remove(bridgeNames.size() - 1);
        }
        bridgeDepths.add(d);
        bridgeNames.add(d == 0 && !recircId.isEmpty() ? frozeIn(recircId, m.group(1)) : m.group(1));
        if (d == 0) {
          endStep();
          if (topBridge.isEmpty()) {
            topBridge = m.group(1);
          }
        }
        return;
      }
      m = TABLE.matcher(line);
      if (m.matches()) {
        table(m);
        return;
      }
      if (line.startsWith("Replacing src/dst")
          || line.startsWith(" Initial flow:")
          || line.startsWith(" Modified flow:")) {
        return;
      }
      if (indent(line) > 0) {
        String t = line.strip();
        if (step == null) {
          // "thaw" / "Resuming from table N" before the first lookup of a recirculated pass
          return;
        }
        if (t.startsWith("->") || t.startsWith(">>")) {
          step.notes.add(t);
          if (t.startsWith(">>")) {
            findings.add(
                TraceFinding.warning(
                    "trace-error-note", "table " + step.table + ": " + t.substring(2).strip()));
          }
        } else {
          step.actions.add(t);
        }
        return;
      }
      unparsed(line, "unrecognised line");
    }

    void table(Matcher m) {
      endStep();
      int lead = m.group(1).length();
      String digits = m.group(2);
      int depth = Math.max(0, (lead + digits.length() - 2) / 4);
      String rest = m.group(3).strip();
      step = new StepBuilder();
      step.table = Integer.parseInt(digits);
      step.depth = depth;
      while (bridgeDepths.size() > 1 && bridgeDepths.get(bridgeDepths.size() - 1) > depth) {
        bridgeDepths.remove(bridgeDepths.size() - 1);
        bridgeNames.remove(bridgeNames.size() - 1);
      }
      step.bridge = bridgeNames.isEmpty() ? topBridge : bridgeNames.get(bridgeNames.size() - 1);
      if (rest.equals("No match.")) {
        step.matched = false;
        return;
      }
      step.matched = true;
      Matcher l = LOOKUP.matcher(rest);
      if (l.matches()) {
        step.match = l.group(1) == null ? "" : l.group(1);
        step.priority = Integer.parseInt(l.group(2));
        step.cookie = l.group(3) == null ? "" : l.group(3).toLowerCase(Locale.ROOT);
      } else {
        step.match = rest;
        unparsed(m.group(0), "table line without priority");
      }
    }

    void endStep() {
      if (step != null) {
        steps.add(
            new TraceStep(
                step.bridge,
                step.table,
                step.matched,
                step.priority,
                step.cookie,
                step.match,
                step.actions,
                step.notes,
                step.depth,
                passes.size()));
        step = null;
      }
    }

    void endPass() {
      endStep();
      if (flow == null) {
        return;
      }
      passes.add(
          new TracePass(
              passes.size(), recircId, resumeNote, flow, finalFlow, megaflow, actions, steps));
      steps = new ArrayList<>();
      flow = null;
      finalFlow = "";
      megaflow = "";
      actions = "";
      recircId = "";
      resumeNote = "";
      bridgeDepths.clear();
      bridgeNames.clear();
    }

    /**
     * The bridge a resumed pass runs in. ofproto/trace heads every pass with the bridge the trace
     * started on, but a pass resumes in the bridge whose action froze it (e.g. OVN's gateway router
     * in br-int, entered by a patch from breth0): the bridge of the last conntrack action with a
     * {@code table=} in the pass whose datapath actions end in this recirculation.
     */
    String frozeIn(String id, String printed) {
      for (TracePass p : passes) {
        if (!p.datapathActions().contains("recirc(" + id + ")")) {
          continue;
        }
        String bridge = printed;
        for (TraceStep s : p.steps()) {
          if (s.actions().stream().anyMatch(a -> a.startsWith("ct(") && a.contains("table="))) {
            bridge = s.bridge();
          }
        }
        return bridge;
      }
      return printed;
    }

    void unparsed(String line, String why) {
      if (unparsed++ < MAX_UNPARSED_FINDINGS) {
        findings.add(TraceFinding.info("trace-unparsed-line", why + ": " + line.strip()));
      }
    }

    static int indent(String line) {
      int i = 0;
      while (i < line.length() && line.charAt(i) == ' ') {
        i++;
      }
      return i;
    }

    static String firstLine(String text) {
      String s = text.strip();
      int nl = s.indexOf('\n');
      return nl < 0 ? s : s.substring(0, nl);
    }
  }

  private static final class StepBuilder {
    String bridge = "";
    int table;
    boolean matched;
    int priority;
    String cookie = "";
    String match = "";
    int depth;
    final List<String> actions = new ArrayList<>();
    final List<String> notes = new ArrayList<>();
  }
}
