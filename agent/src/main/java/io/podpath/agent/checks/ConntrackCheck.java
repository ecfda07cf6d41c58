package io.podpath.agent.checks;

import io.podpath.agent.checks.parse.ConntrackStat;
import io.podpath.agent.checks.parse.DpctlConntrack;
import io.podpath.agent.checks.parse.ParseException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Kernel conntrack fill (count/max, read in the HOST netns: a pod's netns has its own count),
 * per-CPU drop/early_drop/insert_failed rising since the last sweep, and the userspace datapath's
 * own conntrack when a bridge is netdev.
 */
public final class ConntrackCheck implements Check {
  public static final String ID = "conntrack";
  static final double WARN_FILL = 0.75;
  static final double FAIL_FILL = 0.90;

  @Override
  public String id() {
    return ID;
  }

  @Override
  public CheckResult run(CheckContext ctx) {
    Findings f = new Findings(ID);
    boolean kernel;
    try {
      kernel = kernelTable(ctx, f);
    } catch (AccessException | ParseException | NumberFormatException e) {
      return f.unknown("could not read kernel conntrack: " + e.getMessage());
    }
    boolean userspace = userspaceTable(ctx, f);
    if (!kernel && !userspace) {
      return f.notApplicable("no kernel conntrack module and no userspace datapath on this node");
    }
    return f.result("conntrack tables below " + (int) (WARN_FILL * 100) + "% and no new drops");
  }

  private static boolean kernelTable(CheckContext ctx, Findings f)
      throws AccessException, ParseException {
    Optional<String> count = Reads.file(ctx, f, "/proc/sys/net/netfilter/nf_conntrack_count");
    Optional<String> max = Reads.file(ctx, f, "/proc/sys/net/netfilter/nf_conntrack_max");
    if (count.isEmpty() || max.isEmpty()) {
      return false;
    }
    fill(
        f,
        "kernel conntrack",
        Long.parseLong(count.get()),
        Long.parseLong(max.get()),
        "Raise net.netfilter.nf_conntrack_max (in the host netns; it is read-only in others) or"
            + " find what opens so many connections (conntrack -S, conntrack -L | sort).");
    Optional<String> stat = Reads.file(ctx, f, "/proc/net/stat/nf_conntrack");
    if (stat.isPresent()) {
      ConntrackStat s = ConntrackStat.parse(stat.get());
      rising(ctx, f, s, "drop", CheckStatus.FAIL);
      rising(ctx, f, s, "early_drop", CheckStatus.FAIL);
      rising(ctx, f, s, "insert_failed", CheckStatus.WARN);
    }
    return true;
  }

  static void fill(Findings f, String what, long count, long max, String remediation) {
    if (max <= 0) {
      return;
    }
    double ratio = (double) count / max;
    String pct = String.format(Locale.ROOT, "%.0f%%", ratio * 100);
    if (ratio >= FAIL_FILL) {
      f.problem(
          CheckStatus.FAIL, what + " " + count + "/" + max + " (" + pct + ") full", remediation);
    } else if (ratio >= WARN_FILL) {
      f.problem(CheckStatus.WARN, what + " " + count + "/" + max + " (" + pct + ")", remediation);
    }
  }

  private static void rising(
      CheckContext ctx, Findings f, ConntrackStat s, String column, CheckStatus severity) {
    long now = s.get(column);
    OptionalLong before = ctx.memory().exchange("conntrack." + column, now);
    if (before.isPresent() && now > before.getAsLong()) {
      f.problem(
          severity,
          "conntrack "
              + column
              + " rose by "
              + (now - before.getAsLong())
              + " since the last sweep",
          "Packets are being refused by conntrack: the table is (or was) full or racing; raise"
              + " nf_conntrack_max / nf_conntrack_buckets and check conntrack -S per CPU.");
    }
  }

  private static boolean userspaceTable(CheckContext ctx, Findings f) {
    OvsSnapshot snap;
    try {
      snap = ctx.ovs().snapshot();
    } catch (AccessException e) {
      f.evidence("ovsdb", "unreachable: " + e.getMessage());
      return false;
    }
    boolean netdev = snap.bridges().stream().anyMatch(b -> b.datapathType().equals("netdev"));
    if (!netdev) {
      return false;
    }
    try {
      String stats = ctx.ovs().unixctl("dpctl/ct-stats-show", List.of());
      String maxText = ctx.ovs().unixctl("dpctl/ct-get-maxconns", List.of());
      f.evidence("ovs-appctl dpctl/ct-stats-show", stats.strip());
      f.evidence("ovs-appctl dpctl/ct-get-maxconns", maxText.strip());
      long max = DpctlConntrack.maxConns(maxText);
      if (max == 0) {
        // Unlike the kernel's nf_conntrack_max (0 = no limit), the userspace table admits nothing.
        f.problem(
            CheckStatus.FAIL,
            "userspace datapath conntrack admits no connection (maxconns 0): every new"
                + " connection through a ct() flow dies",
            "Set a limit: ovs-appctl dpctl/ct-set-maxconns N (the default is 3000000), and find"
                + " what set it to 0.");
        return true;
      }
      fill(
          f,
          "userspace datapath conntrack",
          DpctlConntrack.total(stats).orElse(0),
          max,
          "Raise it with ovs-appctl dpctl/ct-set-maxconns N (and the OVS other_config) or find"
              + " what opens so many connections (ovs-appctl dpctl/dump-conntrack).");
    } catch (AccessException | ParseException e) {
      f.problem(CheckStatus.UNKNOWN, "userspace conntrack unreadable: " + e.getMessage(), "");
    }
    return true;
  }
}
