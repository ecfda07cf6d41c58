package io.podpath.agent.ip;

import com.google.common.net.InetAddresses;
import io.podpath.agent.exec.Command;
import io.podpath.agent.exec.CommandRunner;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The kernel's view of a namespace through iproute2 and ethtool, run from a thread inside that
 * namespace (/sys/class/net would show the agent's own namespace, not the thread's).
 */
public final class IpTool {
  /** Linux interface names: at most 15 bytes, no '/', no whitespace. */
  private static final Pattern IFNAME = Pattern.compile("[A-Za-z0-9_.:@-]{1,15}");

  private final CommandRunner runner;

  public IpTool(CommandRunner runner) {
    this.runner = runner;
  }

  /** Links with their addresses ({@code ip -j addr show}). */
  public List<IpLink> addrs(Optional<Path> netns, Duration timeout) {
    return IpJson.links(run(netns, timeout, "ip", "-j", "addr", "show"));
  }

  /** IPv4 and IPv6 routes of the main table. */
  public List<IpRoute> routes(Optional<Path> netns, Duration timeout) {
    List<IpRoute> v4 = IpJson.routes(run(netns, timeout, "ip", "-j", "-4", "route", "show"));
    List<IpRoute> v6 = IpJson.routes(run(netns, timeout, "ip", "-j", "-6", "route", "show"));
    return Stream.concat(v4.stream(), v6.stream()).toList();
  }

  /** The main table's routes of one family only (one command: a trace's pod end reads this). */
  public List<IpRoute> routes(Optional<Path> netns, boolean ipv6, Duration timeout) {
    return IpJson.routes(run(netns, timeout, "ip", "-j", ipv6 ? "-6" : "-4", "route", "show"));
  }

  /** The source address the kernel would use to reach {@code dst} (empty when unroutable). */
  public Optional<String> sourceFor(Optional<Path> netns, InetAddress dst, Duration timeout) {
    String addr = InetAddresses.toAddrString(dst);
    List<IpRoute> r = IpJson.routes(run(netns, timeout, "ip", "-j", "route", "get", addr));
    return r.stream().map(IpRoute::source).filter(s -> !s.isEmpty()).findFirst();
  }

  /**
   * {@code ip -j route get DST}: the route the kernel would use, or empty when it has none (then
   * {@code problem} receives iproute2's reason).
   */
  public Optional<IpRoute> routeGet(
      Optional<Path> netns, InetAddress dst, Duration timeout, Consumer<String> problem) {
    String addr = InetAddresses.toAddrString(dst);
    var r =
        runner.run(
            Command.of(List.of("ip", "-j", "route", "get", addr))
                .withTimeout(timeout)
                .inNetns(netns));
    if (!r.ok()) {
      String err = r.stderr().strip();
      int at = err.indexOf("answers: ");
      problem.accept(at >= 0 ? err.substring(at + 9) : err);
      return Optional.empty();
    }
    return Optional.of(IpJson.routeGet(r.stdout()));
  }

  public Map<Integer, String> nsids(Optional<Path> netns, Duration timeout) {
    return IpJson.nsids(run(netns, timeout, "ip", "-j", "netns", "list-id"));
  }

  /** {@code ethtool -S IF}; the name must be a valid interface name. */
  public Map<String, Long> ethtoolStats(Optional<Path> netns, String ifname, Duration timeout) {
    if (!IFNAME.matcher(ifname).matches()) {
      throw new IllegalArgumentException("not an interface name: " + ifname);
    }
    return IpJson.ethtoolStats(run(netns, timeout, "ethtool", "-S", ifname));
  }

  private String run(Optional<Path> netns, Duration timeout, String... argv) {
    return runner.check(Command.of(argv).withTimeout(timeout).inNetns(netns)).stdout();
  }
}
