package io.podpath.agent.kernel;

import io.podpath.agent.ip.IpNetlink;
import io.podpath.agent.ip.IpRoute;
import io.podpath.agent.netns.NetlinkRoute;
import io.podpath.agent.netns.NetnsExecutor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@link RouteLookup} over rtnetlink in the node's namespace: the RTM_GETROUTE request {@code ip
 * route get} sends, answered in-process instead of by a process per lookup (a trace makes one per
 * tunnel hop and kernel hop). When netlink itself fails, the lookup is made by {@code fallback}
 * (iproute2); a refusal (no route) is the kernel's answer, as ip prints it.
 */
public final class NetlinkRouteLookup implements RouteLookup {
  private final NetnsExecutor executor;
  private final Optional<Path> netns;
  private final Supplier<Duration> timeout;
  private final RouteLookup fallback;

  public NetlinkRouteLookup(
      NetnsExecutor executor, Optional<Path> netns, Duration timeout, RouteLookup fallback) {
    this(executor, netns, () -> timeout, fallback);
  }

  private NetlinkRouteLookup(
      NetnsExecutor executor,
      Optional<Path> netns,
      Supplier<Duration> timeout,
      RouteLookup fallback) {
    this.executor = executor;
    this.netns = netns;
    this.timeout = timeout;
    this.fallback = fallback;
  }

  @Override
  public RouteLookup until(Instant deadline) {
    return new NetlinkRouteLookup(
        executor, netns, () -> TimeLeft.until(deadline, "route lookup"), fallback.until(deadline));
  }

  @Override
  public RouteAnswer get(IpAddr dst, Optional<IpAddr> from, Optional<String> iif, long mark) {
    try {
      InetAddress d = dst.inet();
      Optional<InetAddress> f = from.map(IpAddr::inet);
      IpRoute r =
          netns.isPresent()
              ? executor.call(netns.get(), timeout.get(), () -> IpNetlink.routeGet(d, f, iif, mark))
              : IpNetlink.routeGet(d, f, iif, mark);
      return new RouteAnswer.Route(
          r.type(), r.device(), IpAddr.tryParse(r.gateway()), IpAddr.tryParse(r.source()), r.mtu());
    } catch (NetlinkRoute.Refused | IpNetlink.UnknownDevice e) {
      return new RouteAnswer.Unroutable(Objects.requireNonNullElse(e.getMessage(), e.toString()));
    } catch (NetnsExecutor.NetnsTaskException e) {
      Throwable c = e.getCause();
      if (c instanceof NetlinkRoute.Refused || c instanceof IpNetlink.UnknownDevice) {
        return new RouteAnswer.Unroutable(Objects.requireNonNullElse(c.getMessage(), c.toString()));
      }
      return fallback.get(dst, from, iif, mark);
    } catch (IOException | UncheckedIOException e) {
      return fallback.get(dst, from, iif, mark);
    }
  }
}
