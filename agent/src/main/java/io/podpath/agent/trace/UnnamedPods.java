package io.podpath.agent.trace;

import io.podpath.agent.errors.AgentException;
import io.podpath.agent.errors.DeadlineExceededException;
import io.podpath.agent.errors.NotFoundException;
import io.podpath.agent.exec.Command;
import io.podpath.agent.exec.CommandResult;
import io.podpath.agent.exec.CommandRunner;
import io.podpath.agent.exec.CommandStartException;
import io.podpath.agent.ip.IpLink;
import io.podpath.agent.ip.IpLiteral;
import io.podpath.agent.ip.IpRoute;
import io.podpath.agent.ip.IpTool;
import io.podpath.agent.kernel.IpAddr;
import io.podpath.agent.kernel.KernelParseException;
import io.podpath.agent.kernel.Neighbour;
import io.podpath.agent.pod.PodFacts;
import io.podpath.agent.pod.PodKey;
import io.podpath.agent.pod.PodLocator;
import io.podpath.agent.unixctl.Unixctl;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Pods of CNIs that write no pod name into OVSDB (OpenShift SDN, ACI): a trace finds the source
 * pod's port by the pod's IP (the namespace holding it, its eth0@ifN → host ifindex N → the OVS
 * interface, confirmed by the profile), and a packet output to a plain port is a pod's delivery
 * only when that port's namespace holds the packet's destination.
 */
final class UnnamedPods {
  private final PodLocator locator;
  private final IpTool ip;
  private final CommandRunner runner;
  private final Optional<Path> hostNetns;
  private final Unixctl vswitchd;

  UnnamedPods(
      PodLocator locator,
      IpTool ip,
      CommandRunner runner,
      Optional<Path> hostNetns,
      Unixctl vswitchd) {
    this.locator = locator;
    this.vswitchd = vswitchd;
    this.ip = ip;
    this.runner = runner;
    this.hostNetns = hostNetns;
  }

  /**
   * The source pod's facts, found by its IP (the packet's source).
   *
   * @throws NotFoundException when no pod port of this node leads to a namespace with that IP
   */
  PodFacts source(PodName pod, InetAddress podIp, Duration timeout) {
    PodFacts f =
        locator.inspect(
            new PodKey(pod.namespace(), pod.name()), Optional.of(podIp), timeout, false);
    if (f.ofport().orElse(-1) <= 0) {
      throw new NotFoundException(
          "pod " + pod + " with IP " + IpLiteral.format(podIp) + " has no OVS port on this node");
    }
    return f;
  }

  /** The pod behind {@code port} when its namespace holds {@code dst}; else empty. */
  Optional<PodFacts> deliveredTo(String port, InetAddress dst, Duration timeout) {
    try {
      PodFacts f = locator.inspectByIp(dst, timeout);
      return f.hostInterface().filter(port::equals).map(h -> f);
    } catch (NotFoundException e) {
      return Optional.empty();
    }
  }

  /**
   * The destination MAC the pod's own kernel puts on a packet to {@code dst}: the next hop is the
   * gateway of the pod's route to it, or {@code dst} itself on an on-link route; its MAC is the
   * pod's neighbour entry, else the MAC of the local pod or node interface that owns the next hop,
   * else the answer the node's flows give the pod's ARP request. Empty when none says.
   */
  Optional<MacAddress> nextHopMac(
      PodFacts src,
      InetAddress srcIp,
      InetAddress dst,
      Duration timeout,
      List<TraceFinding> findings) {
    Optional<IpAddr> to = IpAddr.tryParseV4(IpLiteral.format(dst));
    if (to.isEmpty()) {
      return nextHopMac6(src, dst, timeout, findings);
    }
    PodEnd end =
        new PodEnd(
            new PodName(src.pod().namespace(), src.pod().name()),
            src.node(),
            src.podInterface().orElse(""),
            Optional.empty(),
            src.routes());
    Optional<IpRoute> route = end.route(to.get());
    if (route.isEmpty()) {
      return Optional.empty(); // the pod end reports the missing route
    }
    String hop = route.get().gateway().isEmpty() ? to.get().toString() : route.get().gateway();
    Optional<IpAddr> next;
    try {
      next = Optional.of(IpAddr.parse("next hop", hop));
    } catch (KernelParseException e) {
      return Optional.empty();
    }
    String device =
        route.get().device().isEmpty() ? src.podInterface().orElse("") : route.get().device();
    Optional<MacAddress> mac =
        neighbour(Path.of(src.netns().orElse("")), next.get(), device, timeout);
    String how = "the pod's neighbour entry";
    if (mac.isEmpty()) {
      mac = owner(IpLiteral.tryParse(next.get().toString()).orElseThrow(), timeout);
      how = "the interface that owns it on this node";
    }
    Optional<MacAddress> podMac = src.mac().flatMap(MacAddress::tryParse);
    Optional<IpAddr> podIp = IpAddr.tryParseV4(IpLiteral.format(srcIp));
    if (mac.isEmpty() && podMac.isPresent() && podIp.isPresent()) {
      try {
        mac =
            ArpAnswer.ask(
                vswitchd,
                src.bridge().orElse(""),
                src.ofport().orElse(-1),
                podMac.get(),
                podIp.get(),
                next.get(),
                timeout);
      } catch (DeadlineExceededException e) {
        throw e;
      } catch (AgentException e) {
        mac = Optional.empty(); // no answer readable: the trace goes on without the MAC
      }
      how = "the answer the node's flows give the pod's ARP request (ofproto/trace)";
    }
    if (mac.isPresent()) {
      findings.add(
          TraceFinding.info(
              "dst-mac-next-hop",
              "destination MAC "
                  + mac.get()
                  + ": next hop "
                  + next.get()
                  + " of the pod's route "
                  + route.get().destination()
                  + ", from "
                  + how));
    }
    return mac;
  }

  /**
   * IPv6: the next hop of the pod's own route to {@code dst} ({@code ip route get} in its
   * namespace); its MAC is the pod's neighbour entry (a router the CNI's agent answers for, as
   * ACI's link-local router), else the MAC of the local pod or node interface holding it, which is
   * what answers the pod's neighbour solicitation where the CNI passes neighbour discovery through
   * (Antrea's IPv6 table sends it NORMAL).
   */
  private Optional<MacAddress> nextHopMac6(
      PodFacts src, InetAddress dst, Duration timeout, List<TraceFinding> findings) {
    Path netns = Path.of(src.netns().orElse(""));
    Optional<IpRoute> route = ip.routeGet(Optional.of(netns), dst, timeout, problem -> {});
    if (route.isEmpty()) {
      return Optional.empty(); // the pod end reports the missing route
    }
    String hop = route.get().gateway().isEmpty() ? IpLiteral.format(dst) : route.get().gateway();
    String device =
        route.get().device().isEmpty() ? src.podInterface().orElse("") : route.get().device();
    Optional<MacAddress> known =
        IpAddr.tryParse(hop)
            .filter(h -> !device.isEmpty())
            .flatMap(h -> neighbour(netns, h, device, timeout));
    String how =
        known.isPresent()
            ? "the pod's neighbour entry"
            : "the interface that owns it on this node (it answers the pod's neighbour"
                + " solicitation)";
    Optional<MacAddress> mac =
        known.or(() -> IpLiteral.tryParse(hop).flatMap(n -> owner(n, timeout)));
    mac.ifPresent(
        m ->
            findings.add(
                TraceFinding.info(
                    "dst-mac-next-hop",
                    "destination MAC "
                        + m
                        + ": next hop "
                        + hop
                        + " of the pod's IPv6 route to "
                        + IpLiteral.format(dst)
                        + ", from "
                        + how)));
    return mac;
  }

  private Optional<MacAddress> neighbour(Path netns, IpAddr next, String device, Duration timeout) {
    try {
      CommandResult r =
          runner.run(
              Command.of(Neighbour.argv(next, device))
                  .withTimeout(timeout)
                  .withStdoutCap(1 << 16)
                  .inNetns(Optional.of(netns)));
      return r.ok()
          ? Neighbour.parse(next, r.stdout()).flatMap(Neighbour::mac).flatMap(MacAddress::tryParse)
          : Optional.empty();
    } catch (CommandStartException | KernelParseException | IllegalArgumentException e) {
      return Optional.empty(); // no entry readable: the owner of the address is asked next
    }
  }

  /**
   * The MAC the kernel would learn by ARP for {@code next} before routing a packet back into OVS by
   * {@code port}: the local pod or node interface holding it, else the answer the node's flows give
   * the request sent from that port (Antrea's ARPResponder answers for a peer node's gateway).
   */
  Optional<MacAddress> kernelNextHop(IpAddr next, HostSidePorts.Port port, Duration timeout) {
    Optional<MacAddress> mac = owner(next.inet(), timeout);
    if (mac.isPresent() || next.v6()) {
      return mac; // IPv6 neighbours are found by NDP, which these flows are not asked for
    }
    for (IpLink l : ip.addrs(hostNetns, timeout)) {
      Optional<MacAddress> devMac = MacAddress.tryParse(l.mac());
      Optional<IpAddr> devIp =
          l.addrs().stream()
              .map(a -> IpAddr.tryParseV4(a.local()))
              .flatMap(Optional::stream)
              .findFirst();
      if (l.name().equals(port.name()) && devMac.isPresent() && devIp.isPresent()) {
        try {
          return ArpAnswer.ask(
              vswitchd, port.bridge(), port.ofport(), devMac.get(), devIp.get(), next, timeout);
        } catch (DeadlineExceededException e) {
          throw e;
        } catch (AgentException e) {
          return Optional
              .empty(); // no answer readable: traced without the MAC, as the finding says
        }
      }
    }
    return Optional.empty();
  }

  /** A local pod's eth0, or a node interface (the gateway), holding {@code addr}. */
  private Optional<MacAddress> owner(InetAddress addr, Duration timeout) {
    try {
      PodFacts f = locator.inspectByIp(addr, timeout);
      if (f.mac().isPresent()) {
        return MacAddress.tryParse(f.mac().get());
      }
    } catch (NotFoundException e) {
      // not a local pod: maybe the node's own gateway interface
    }
    for (IpLink l : ip.addrs(hostNetns, timeout)) {
      boolean holds =
          l.addrs().stream()
              .anyMatch(a -> IpLiteral.tryParse(a.local()).map(addr::equals).orElse(false));
      if (holds) {
        return MacAddress.tryParse(l.mac());
      }
    }
    return Optional.empty();
  }
}
