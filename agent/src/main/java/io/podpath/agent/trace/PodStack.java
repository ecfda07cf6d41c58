package io.podpath.agent.trace;

import io.podpath.agent.errors.AgentException;
import io.podpath.agent.errors.DeadlineExceededException;
import io.podpath.agent.ip.IpLink;
import io.podpath.agent.ip.IpNetlink;
import io.podpath.agent.ip.IpRoute;
import io.podpath.agent.ip.IpTool;
import io.podpath.agent.netns.NetnsExecutor;
import io.podpath.agent.pod.Finding;
import io.podpath.agent.pod.PodFacts;
import io.podpath.agent.pod.PodKey;
import io.podpath.agent.pod.PodLocator;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads a pod's end of the path at the edge of a trace: the node that takes the packet from the
 * pod's port (source) or delivers it into that port (destination). Which namespace is the pod's is
 * proven once by InspectPod and remembered per OVS port (name and ofport: a re-created pod gets a
 * new port); the link and routes are read on every trace, since they are what changes: over
 * rtnetlink inside the pod's namespace (IpNetlink, no process), or with {@code ip} when that fails.
 */
final class PodStack {
  private final String node;
  private final PodLocator locator;
  private final IpTool ip;
  private final NetnsExecutor netns;
  private final Map<Where, Place> places = new ConcurrentHashMap<>();

  PodStack(String node, PodLocator locator, IpTool ip, NetnsExecutor netns) {
    this.node = node;
    this.locator = locator;
    this.ip = ip;
    this.netns = netns;
  }

  /** InspectPod's findings that say the pod's port itself is broken on the node (not unknown). */
  private static final Set<String> BROKEN =
      Set.of("host-interface-missing", "interface-error", "ofport-invalid");

  private record Where(PodName pod, String port, int ofport) {}

  private record Place(Path netns, String ifname) {}

  /**
   * The pod's end, or empty when it cannot be read (a finding says why: the trace then goes on
   * without the pod's own stack).
   */
  Optional<PodEnd> read(
      PodName pod,
      Optional<InetAddress> ip,
      String port,
      int ofport,
      Instant deadline,
      List<TraceFinding> findings) {
    Where where = new Where(pod, port, ofport);
    try {
      Place place = places.get(where);
      if (place != null) {
        try {
          return Optional.of(readIn(pod, place, deadline));
        } catch (AgentException e) {
          places.remove(where); // the namespace went away: prove it again below
        }
      }
      // A CNI that names no pod in OVSDB finds it by its IP (ignored where OVSDB names pods).
      PodFacts f =
          locator.inspect(new PodKey(pod.namespace(), pod.name()), ip, left(deadline), false);
      List<String> broken =
          f.findings().stream()
              .filter(x -> x.severity() == Finding.Severity.ERROR && BROKEN.contains(x.code()))
              .map(Finding::message)
              .toList();
      if (!broken.isEmpty()) {
        return Optional.of(PodEnd.cutOff(pod, node, String.join("; ", broken)));
      }
      if (f.netns().isEmpty() || f.podInterface().isEmpty()) {
        findings.add(
            TraceFinding.warning(
                "pod-stack-unread",
                "the network namespace of pod "
                    + pod
                    + " on "
                    + node
                    + " is not proven, so its own eth0 and routes are not checked: "
                    + f.findings().stream().map(Finding::message).toList()));
        return Optional.empty();
      }
      place = new Place(Path.of(f.netns().get()), f.podInterface().get());
      places.put(where, place);
      return Optional.of(readIn(pod, place, deadline));
    } catch (DeadlineExceededException e) {
      throw e;
    } catch (AgentException e) {
      findings.add(
          TraceFinding.warning(
              "pod-stack-unread",
              "cannot read the network stack of pod "
                  + pod
                  + " on "
                  + node
                  + ": "
                  + e.getMessage()
                  + "; its own eth0 and routes are not checked"));
      return Optional.empty();
    }
  }

  private PodEnd readIn(PodName pod, Place place, Instant deadline) {
    List<IpLink> links;
    List<IpRoute> routes;
    List<IpRoute> routes6;
    try {
      IpNetlink.Stack s = netns.call(place.netns(), left(deadline), IpNetlink::read);
      links = s.links();
      routes = s.routes();
      routes6 = s.routes6();
    } catch (NetnsExecutor.NetnsTaskException e) {
      // netlink refused or answered what IpNetlink cannot read: iproute2 reads it instead
      Optional<Path> ns = Optional.of(place.netns());
      links = ip.addrs(ns, left(deadline));
      routes = ip.routes(ns, false, left(deadline));
      routes6 = ip.routes(ns, true, left(deadline));
    }
    return new PodEnd(
        pod, node, place.ifname(), IpLink.named(links, place.ifname()), routes, routes6);
  }

  private static Duration left(Instant deadline) {
    Duration d = Duration.between(Instant.now(), deadline);
    if (d.isNegative() || d.isZero()) {
      throw new DeadlineExceededException("the trace's deadline passed");
    }
    return d;
  }
}
