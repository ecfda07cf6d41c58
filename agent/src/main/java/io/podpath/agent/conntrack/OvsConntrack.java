package io.podpath.agent.conntrack;

import io.podpath.agent.checks.parse.DpctlConntrack;
import io.podpath.agent.checks.parse.ParseException;
import io.podpath.agent.errors.AgentException;
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

  OvsConntrack(Unixctl vswitchd) {
    this.vswitchd = vswitchd;
  }

  /** The fills of the global table and of every limited zone in {@code zones}; empty if none. */
  Optional<List<ConntrackFill>> fills(Set<Integer> zones, Duration timeout) {
    long max;
    long total;
    CtLimits limits;
    try {
      max = DpctlConntrack.maxConns(vswitchd.call("dpctl/ct-get-maxconns", List.of(), timeout));
      total =
          DpctlConntrack.total(vswitchd.call("dpctl/ct-stats-show", List.of(), timeout)).orElse(0);
      limits = CtLimits.parse(vswitchd.call("dpctl/ct-get-limits", List.of(), timeout));
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
      dump = vswitchd.call("dpctl/dump-conntrack", List.of(), timeout);
    } catch (AgentException e) {
      return List.of();
    }
    if (dump.length() > MAX_DUMP_CHARS) {
      dump = dump.substring(0, MAX_DUMP_CHARS);
    }
    return CtEntry.parseDpctl(dump).stream().filter(e -> e.matches(packet)).toList();
  }
}
