package io.podpath.agent.kernel;

import io.podpath.agent.exec.Command;
import io.podpath.agent.exec.CommandResult;
import io.podpath.agent.exec.CommandRunner;
import io.podpath.agent.ip.IpJson;
import io.podpath.agent.ip.IpRoute;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * {@link RouteLookup} through {@code ip -4|-6 -j route get} run by the one command runner in the
 * node's netns. Only typed values reach the argv: addresses are {@link IpAddr}, the interface name
 * is checked against Linux's rules.
 */
public final class IpRouteLookup implements RouteLookup {
  private static final Pattern IFNAME = Pattern.compile("[A-Za-z0-9_.:@-]{1,15}");

  private final CommandRunner runner;
  private final Optional<Path> netns;
  private final Supplier<Duration> timeout;

  public IpRouteLookup(CommandRunner runner, Optional<Path> netns, Duration timeout) {
    this(runner, netns, () -> timeout);
  }

  private IpRouteLookup(CommandRunner runner, Optional<Path> netns, Supplier<Duration> timeout) {
    this.runner = runner;
    this.netns = netns;
    this.timeout = timeout;
  }

  /** Each lookup's timeout is what is left of the trace's deadline at the time it runs. */
  @Override
  public RouteLookup until(Instant deadline) {
    return new IpRouteLookup(runner, netns, () -> TimeLeft.until(deadline, "ip route get"));
  }

  @Override
  public RouteAnswer get(IpAddr dst, Optional<IpAddr> from, Optional<String> iif, long mark) {
    List<String> argv =
        new ArrayList<>(
            List.of("ip", dst.v6() ? "-6" : "-4", "-j", "route", "get", dst.toString()));
    from.ifPresent(f -> argv.addAll(List.of("from", f.toString())));
    if (iif.isPresent()) {
      if (!IFNAME.matcher(iif.get()).matches()) {
        throw new IllegalArgumentException("not an interface name: " + iif.get());
      }
      argv.addAll(List.of("iif", iif.get()));
    }
    if (mark != 0) {
      argv.addAll(List.of("mark", "0x" + Long.toHexString(mark)));
    }
    CommandResult r = runner.run(Command.of(argv).withTimeout(timeout.get()).inNetns(netns));
    return r.ok() ? parse(r.stdout()) : unroutable(r.stderr());
  }

  /** One {@code ip -j route get} answer. */
  public static RouteAnswer parse(String json) {
    IpRoute r = IpJson.routeGet(json);
    return new RouteAnswer.Route(
        r.type(), r.device(), IpAddr.tryParse(r.gateway()), IpAddr.tryParse(r.source()), r.mtu());
  }

  /** iproute2's error ("RTNETLINK answers: Network is unreachable") without its prefix. */
  public static RouteAnswer unroutable(String stderr) {
    String s = stderr.strip();
    int colon = s.indexOf("answers: ");
    return new RouteAnswer.Unroutable(colon >= 0 ? s.substring(colon + 9) : s);
  }
}
