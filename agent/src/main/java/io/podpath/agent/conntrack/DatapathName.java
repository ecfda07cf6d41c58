package io.podpath.agent.conntrack;

import io.podpath.agent.errors.AgentException;
import io.podpath.agent.unixctl.Unixctl;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The datapath {@code dpctl/*} commands are given by name. Without one, ovs-vswitchd enumerates
 * every datapath type on each call, and one with no kernel datapath logs "failed to enumerate
 * system datapaths" every time. The name is read once from {@code dpctl/dump-dps} and kept until
 * ovs-vswitchd answers a command given it with "datapath not found" (a bridge's datapath type
 * changed, or ovs-vswitchd restarted with another), then read again. Other errors keep it: a kernel
 * datapath answers the userspace conntrack commands with "not supported" on every call.
 */
final class DatapathName {
  /** ovs-vswitchd's answer to a dpctl command naming a datapath it does not have. */
  static final String NOT_FOUND = "datapath not found";

  private final Unixctl vswitchd;
  private @Nullable String name;

  DatapathName(Unixctl vswitchd) {
    this.vswitchd = vswitchd;
  }

  /**
   * The userspace ({@code netdev@}) datapath when there is one (only it has the conntrack these
   * commands read), else the first listed; empty when none is listed or the call fails.
   */
  synchronized Optional<String> get(Duration timeout) {
    if (name == null) {
      try {
        name = pick(vswitchd.call("dpctl/dump-dps", List.of(), timeout)).orElse(null);
      } catch (AgentException e) {
        return Optional.empty();
      }
    }
    return Optional.ofNullable(name);
  }

  /** ovs-vswitchd has no datapath {@code used} (any more): read the name again next time. */
  synchronized void gone(String used) {
    if (used.equals(name)) {
      name = null;
    }
  }

  /** dump-dps prints one "type@name" a line. */
  static Optional<String> pick(String dumpDps) {
    List<String> dps = dumpDps.lines().map(String::strip).filter(l -> l.contains("@")).toList();
    return dps.stream()
        .filter(d -> d.startsWith("netdev@"))
        .findFirst()
        .or(() -> dps.stream().findFirst());
  }
}
