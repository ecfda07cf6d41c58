package io.podpath.agent.cni;

import io.podpath.agent.trace.ParsedTrace;
import io.podpath.agent.trace.TraceStep;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** Explains the drop at the end of an ofproto/trace through the node's CNI profile. */
public final class DropExplainer {
  private DropExplainer() {}

  /**
   * The explanation of the trace's drop, empty when nothing in it drops: the first lookup whose
   * flow drops explicitly, else the last table miss (a miss inside a resubmit that the pipeline
   * carries on from is not the verdict; the last one is).
   */
  public static Optional<DropExplanation> explain(CniProfile profile, ParsedTrace trace) {
    List<TraceStep> steps = trace.steps();
    int at = -1;
    for (int i = 0; i < steps.size() && at < 0; i++) {
      if (dropsHere(steps.get(i))) {
        at = i;
      }
    }
    for (int i = steps.size() - 1; i >= 0 && at < 0; i--) {
      if (!steps.get(i).matched() && trace.datapathActions().lines().anyMatch("drop"::equals)) {
        at = i;
      }
    }
    if (at < 0) {
      return Optional.empty();
    }
    return Optional.of(
        explain(profile, steps.get(at), at == 0 ? null : steps.get(at - 1), trace.finalFlow()));
  }

  /**
   * A matched flow that drops the packet. ofproto/trace prints "drop" after a recirculating {@code
   * ct(table=N)} too: that packet goes on in the next pass, so such a step is not the verdict.
   */
  static boolean dropsHere(TraceStep step) {
    return step.matched()
        && step.actions().contains("drop")
        && step.actions().stream().noneMatch(a -> a.startsWith("ct(") && a.contains("table="));
  }

  /**
   * Why the CNI's pipeline dropped the packet at {@code step}.
   *
   * @param previous the lookup before the dropping one (null when none): named as the verdict when
   *     it sent the packet straight to a table that only drops
   */
  public static DropExplanation explain(
      CniProfile profile, TraceStep step, @Nullable TraceStep previous) {
    return explain(profile, step, previous, "");
  }

  /**
   * As above; {@code finalFlow} (ofproto/trace's "Final flow") gives the registers that name the
   * source's and destination's ids when the drop is the CNI's isolation of namespaces.
   */
  public static DropExplanation explain(
      CniProfile profile, TraceStep step, @Nullable TraceStep previous, String finalFlow) {
    if (profile.ovnLogicalFlows()) {
      return new DropExplanation.ViaOvnLogicalFlow(
          profile.cni(), step.bridge(), step.table(), step.cookie());
    }
    String flow =
        step.matched()
            ? (step.match().isEmpty() ? "" : step.match() + ", ")
                + "priority "
                + step.priority()
                + " actions="
                + String.join(",", step.actions())
            : "";
    return new DropExplanation.PipelineTable(
        profile.cni(),
        step.bridge(),
        step.table(),
        profile.tableRole(step.bridge(), step.table()).orElse(""),
        step.matched(),
        flow,
        step.cookie(),
        decidedIn(profile, step, previous),
        isolation(profile, step, finalFlow));
  }

  /**
   * The isolation table's catch-all drop with differing ids: the namespaces are isolated (a flow of
   * that table lets equal ids, or the global id 0, through).
   */
  static String isolation(CniProfile profile, TraceStep step, String finalFlow) {
    Optional<CniProfile.Isolation> iso = profile.isolation();
    if (iso.isEmpty()
        || !step.matched()
        || !step.actions().equals(List.of("drop"))
        || !iso.get().bridge().equals(step.bridge())
        || iso.get().table() != step.table()) {
      return "";
    }
    Optional<Long> src = register(finalFlow, iso.get().srcReg());
    Optional<Long> dst = register(finalFlow, iso.get().dstReg());
    if (src.isEmpty()
        || dst.isEmpty()
        || src.get().equals(dst.get())
        || src.get() == 0
        || dst.get() == 0) {
      return "";
    }
    return "namespace isolation (multitenant): the source's "
        + iso.get().what()
        + " "
        + src.get()
        + " ("
        + iso.get().srcReg()
        + ") and the destination's "
        + iso.get().what()
        + " "
        + dst.get()
        + " ("
        + iso.get().dstReg()
        + ") differ and neither is the global "
        + iso.get().what()
        + " 0";
  }

  /**
   * A register's value in a flow such as {@code tcp,reg0=0x3b39cc,reg1=0xb80763,...}; 0 if unset.
   */
  static Optional<Long> register(String flow, String reg) {
    if (flow.isBlank()) {
      return Optional.empty();
    }
    for (String f : flow.split(",")) {
      if (f.startsWith(reg + "=")) {
        try {
          return Optional.of(Long.decode(f.substring(reg.length() + 1)));
        } catch (NumberFormatException e) {
          return Optional.empty();
        }
      }
    }
    return Optional.of(0L); // ofproto/trace omits a register that is zero
  }

  private static String decidedIn(
      CniProfile profile, TraceStep step, @Nullable TraceStep previous) {
    boolean onlyDrops =
        step.matched()
            && step.actions().equals(List.of("drop"))
            && profile.dropOnlyTable(step.bridge(), step.table());
    if (!onlyDrops
        || previous == null
        || !previous.bridge().equals(step.bridge())
        || !previous.actions().contains("goto_table:" + step.table())) {
      return "";
    }
    String role = profile.tableRole(previous.bridge(), previous.table()).orElse("");
    return "table "
        + previous.table()
        + (role.isEmpty() ? "" : " (" + role + ")")
        + (previous.matched() ? ", priority " + previous.priority() : ", table miss")
        + (previous.match().isEmpty() ? "" : " " + previous.match());
  }
}
