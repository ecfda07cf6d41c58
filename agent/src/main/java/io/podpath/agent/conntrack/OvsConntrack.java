package io.podpath.agent.conntrack;

import io.podpath.agent.checks.parse.DpctlConntrack;
import io.podpath.agent.checks.parse.ParseException;
import io.podpath.agent.errors.AgentException;
import io.podpath.agent.errors.ToolFailedException;
import io.podpath.agent.unixctl.Unixctl;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The userspace datapath's conntrack through ovs-vswitchd's unixctl: the table's fill against
 * {@code ct-get-maxconns} and the per-zone limits the packet's ct() zones have. A datapath that is
 * not userspace answers ct-get-maxconns with an error: then this table does not exist (the kernel
 * datapath uses nf_conntrack, read elsewhere).
 */
final class OvsConntrack {
  /** The most {@code dpctl/dump-conntrack} text read for matching (a full table is large). */
  static final int MAX_DUMP_CHARS = 4 << 20;

  private final Unixctl vswitchd;
  private final DatapathName datapath;

  OvsConntrack(Unixctl vswitchd) {
    this.vswitchd = vswitchd;
    this.datapath = new DatapathName(vswitchd);
  }

  /** One dpctl command, given the datapath's name when it is known. */
  private String dpctl(String method, Duration timeout) {
    Optional<String> dp = datapath.get(timeout);
    try {
      return vswitchd.call(method, dp.map(List::of).orElse(List.of()), timeout);
    } catch (ToolFailedException e) {
      if (e.detail().contains(DatapathName.NOT_FOUND)) {
        dp.ifPresent(datapath::gone);
      }
      throw e;
    }
  }

  /** The fills of the global table and of every limited zone in {@code zones}; empty if none. */
  Optional<List<ConntrackFill>> fills(Set<Integer> zones, Duration timeout) {
    long max;
    long total;
    CtLimits limits;
    try {
      max = DpctlConntrack.maxConns(dpctl("dpctl/ct-get-maxconns", timeout));
      total = DpctlConntrack.total(dpctl("dpctl/ct-stats-show", timeout)).orElse(0);
      limits = CtLimits.parse(dpctl("dpctl/ct-get-limits", timeout));
    } catch (AgentException | ParseException e) {
      return Optional.empty();
    }
    List<ConntrackFill> out = new ArrayList<>();
    // the datapath admits a new entry while its count is below the limit (maxconns 0: none)
    out.add(new ConntrackFill("ovs", total, max, total >= max));
    for (int z : zones.stream().sorted().toList()) {
      long[] lc = limits.zones().get(z);
      if (lc != null && lc[0] > 0) {
        out.add(new ConntrackFill("ovs zone " + z, lc[1], lc[0], lc[1] >= lc[0]));
      }
    }
    return Optional.of(out);
  }

  /** The entries matching {@code packet} (either direction), as dump-conntrack printed them. */
  List<CtEntry> entries(CtTuple packet, Duration timeout) {
    String dump;
    try {
      dump = dpctl("dpctl/dump-conntrack", timeout);
    } catch (AgentException e) {
      return List.of();
    }
    if (dump.length() > MAX_DUMP_CHARS) {
      dump = dump.substring(0, MAX_DUMP_CHARS);
    }
    return CtEntry.parseDpctl(dump).stream().filter(e -> e.matches(packet)).toList();
  }
}
