package io.podpath.aggregator.render;

import io.podpath.proto.v1.NodeTrace;
import io.podpath.proto.v1.OvnLogicalFlow;
import io.podpath.proto.v1.TableStep;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The few tables of a node's trace that decide the packet's fate, one short line each: ACLs, load
 * balancing and conntrack commits, routing, the L2 lookup that picks the output port, the tunnel
 * encapsulation and any drop. A trace has 100+ flows; a picture can show five.
 */
final class KeySteps {
  static final int MAX = 5;
  private static final Pattern OUTPORT = Pattern.compile("outport = \"([^\"]+)\"");
  private static final Pattern TUN_ID = Pattern.compile("set_field:(0x[0-9a-f]+)[^,]*->tun_id");

  private KeySteps() {}

  /** One line of the picture; {@code drop} marks the step that dropped the packet. */
  record Line(int table, String text, boolean drop) {}

  static List<Line> of(NodeTrace t, boolean dropped, int dropTable) {
    List<Line> all = new ArrayList<>();
    List<TableStep> steps = t.getStepsList();
    for (int i = 0; i < steps.size(); i++) {
      TableStep s = steps.get(i);
      boolean last = i == steps.size() - 1;
      boolean isDrop = dropped && last && s.getTable() == dropTable;
      describe(s, isDrop)
          .ifPresent(
              what -> all.add(new Line(s.getTable(), "t" + s.getTable() + " " + what, isDrop)));
    }
    if (all.size() <= MAX) {
      return all;
    }
    // Keep the drop (always last) and the latest decisions before it.
    return List.copyOf(all.subList(all.size() - MAX, all.size()));
  }

  /** A step's line, or empty when the step only passes the packet on. */
  static Optional<String> describe(TableStep s, boolean isDrop) {
    String actions = s.getActions();
    @Nullable OvnLogicalFlow lf = s.hasLogicalFlow() ? s.getLogicalFlow() : null;
    String stage = lf == null ? "" : lf.getStage();
    if (isDrop) {
      return Optional.of((stage.isEmpty() ? "" : stage + ": ") + "drop");
    }
    Matcher tun = TUN_ID.matcher(actions);
    if (tun.find()) {
      return Optional.of("encap tun_id " + tun.group(1));
    }
    if (lf != null) {
      String la = lf.getActions();
      String st = stage.toLowerCase(Locale.ROOT);
      if (la.contains("ct_lb")) {
        return st.endsWith("_lb") ? Optional.of(stage + ": load balance") : Optional.empty();
      }
      if (st.endsWith("_acl") || st.endsWith("_acl_eval") || st.endsWith("_acl_action")) {
        if (la.equals("next;")) {
          return Optional.empty();
        }
        return Optional.of(
            stage + (la.contains("drop") || la.contains("reject") ? ": drop" : ": allow"));
      }
      if (st.endsWith("_stateful") && la.contains("ct_commit")) {
        return Optional.of(stage + ": ct_commit");
      }
      if (st.endsWith("_l2_lkup")) {
        Matcher m = OUTPORT.matcher(la);
        return m.find() ? Optional.of(stage + " → " + m.group(1)) : Optional.empty();
      }
      if (st.endsWith("ip_routing") && la.contains("ip.ttl--")) {
        return Optional.of(stage + ": route");
      }
      if ((st.endsWith("_dnat") || st.endsWith("_snat") || st.endsWith("_unsnat"))
          && !la.equals("next;")) {
        return Optional.of(stage + ": " + firstStatement(la));
      }
      return Optional.empty();
    }
    // No OVN decoding (plain OpenFlow): the tables that act rather than pass.
    if (actions.contains("ct(commit")) {
      return Optional.of("ct commit");
    }
    if (actions.startsWith("ct(")) {
      return Optional.of("conntrack");
    }
    if (actions.startsWith("output:") || actions.contains(", output:")) {
      return Optional.of(actions.substring(actions.indexOf("output:")).split(",")[0]);
    }
    return Optional.empty();
  }

  private static String firstStatement(String logicalActions) {
    String a = logicalActions.trim();
    int semi = a.indexOf(';');
    return semi < 0 ? a : a.substring(0, semi);
  }
}
