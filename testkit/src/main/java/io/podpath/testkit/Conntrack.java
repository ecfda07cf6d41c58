package io.podpath.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The sandbox nodes' OVS conntrack (the userspace datapath's own table). */
public final class Conntrack {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private Conntrack() {}

  /**
   * The entries of {@code node}'s OVS conntrack ({@code dpctl/dump-conntrack}): how the real
   * packets of a connection were NATed there.
   */
  public static String dump(Sandbox sb, String node) {
    ExecResult r =
        ProcessRunner.run(
            List.of("ovs-appctl", "-t", ctl(sb, node), "dpctl/dump-conntrack"), Map.of(), TIMEOUT);
    if (!r.ok()) {
      throw new SandboxException(
          "ovs-appctl dpctl/dump-conntrack on " + node + " failed: " + r.stderr());
    }
    return r.stdout();
  }

  private static String ctl(Sandbox sb, String node) {
    Path rundir = sb.ovsRundir(node);
    try {
      String pid = Files.readString(rundir.resolve("ovs-vswitchd.pid")).strip();
      return rundir.resolve("ovs-vswitchd." + pid + ".ctl").toString();
    } catch (IOException e) {
      throw new SandboxException("no ovs-vswitchd pidfile on " + node + ": " + e, e);
    }
  }

  /**
   * Empties every node's OVS conntrack, so that a scenario's NAT connections cannot meet the next
   * one. Debian's ovs-vswitchd 3.1 aborted on such a leftover (conntrack.c:1063, conn_update_state
   * on a NAT reverse entry) a minute after the connection that made it, taking its node off the
   * network for every later test.
   */
  public static void flush(Sandbox sb) {
    for (Node n : sb.nodes()) {
      Path rundir = sb.ovsRundir(n.name());
      String pid;
      try {
        pid = Files.readString(rundir.resolve("ovs-vswitchd.pid")).strip();
      } catch (IOException e) {
        throw new SandboxException("no ovs-vswitchd pidfile on " + n.name() + ": " + e, e);
      }
      String ctl = rundir.resolve("ovs-vswitchd." + pid + ".ctl").toString();
      ExecResult r =
          ProcessRunner.run(
              List.of("ovs-appctl", "-t", ctl, "dpctl/flush-conntrack"), Map.of(), TIMEOUT);
      if (!r.ok()) {
        throw new SandboxException(
            "ovs-appctl dpctl/flush-conntrack on " + n.name() + " failed: " + r.stderr());
      }
    }
  }
}
