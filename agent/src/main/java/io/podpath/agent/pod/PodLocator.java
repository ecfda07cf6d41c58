package io.podpath.agent.pod;

import com.google.common.net.InetAddresses;
import io.podpath.agent.AgentContext;
import io.podpath.agent.cni.CniProfile;
import io.podpath.agent.errors.AgentException;
import io.podpath.agent.errors.DeadlineExceededException;
import io.podpath.agent.errors.FailedPreconditionException;
import io.podpath.agent.errors.NotFoundException;
import io.podpath.agent.ip.IpLink;
import io.podpath.agent.ip.IpRoute;
import io.podpath.agent.netns.NetnsExecutor;
import io.podpath.agent.ovsdb.OvsState;
import io.podpath.agent.ovsdb.OvsState.OvsInterface;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * InspectPod: pod → OVS interface (by the CNI profile's ids, or for CNIs that write no pod name, by
 * the pod's IP) → host veth → the namespace whose link has iflink = the veth's ifindex, and back
 * (the pod's eth0@ifN → host ifindex N → the OVS interface, confirmed by the profile's ids).
 * Disagreements become findings; only "no such pod here" is an error.
 */
public final class PodLocator {
  private final AgentContext ctx;
  private final NetnsLocator netnsLocator;

  public PodLocator(AgentContext ctx) {
    this.ctx = ctx;
    this.netnsLocator = new NetnsLocator(ctx.ip(), ctx.netns(), ctx.hostNetns());
  }

  /** The pod's OVS port only (no namespace work when the CNI names pods): a trace's start. */
  public PodPort port(PodKey pod, Optional<InetAddress> podIp, Duration timeout) {
    OvsState ovs = OvsState.read(ctx.ovsdb(), timeout);
    CniProfile profile = ctx.cniOf(ovs).profile();
    if (!PodPorts.namesPods(profile)) {
      PodFacts f = inspect(pod, podIp, timeout, false);
      return new PodPort(
          pod,
          f.ifaceId().orElse(""),
          f.hostInterface().orElse(""),
          f.bridge().orElse(""),
          f.ofport(),
          f.mac().orElse(""));
    }
    OvsInterface iface =
        PodPorts.byName(ovs, profile, pod).stream()
            .findFirst()
            .orElseThrow(() -> notFound(pod, profile));
    return new PodPort(
        pod,
        iface.externalIds().getOrDefault("iface-id", ""),
        iface.name(),
        PodPorts.bridgeOf(ovs, iface),
        iface.ofport().isPresent()
            ? OptionalInt.of((int) iface.ofport().getAsLong())
            : OptionalInt.empty(),
        iface.externalIds().getOrDefault("attached_mac", ""));
  }

  public PodPort port(PodKey pod, Duration timeout) {
    return port(pod, Optional.empty(), timeout);
  }

  /**
   * The path naming the pod's network namespace, proven to be the pod's: what every pod-scoped
   * command runs in.
   *
   * @throws NotFoundException when the pod is not on this node
   * @throws FailedPreconditionException when its namespace cannot be found or proven (the message
   *     carries the inspection's errors, naming the look-alike namespaces)
   */
  public Path provenNetns(PodKey pod, Duration timeout) {
    return provenNetns(pod, Optional.empty(), timeout);
  }

  /**
   * As {@link #provenNetns(PodKey, Duration)}, with the pod's IP from the Kubernetes API: what
   * finds the pods of CNIs that write no pod name into OVSDB (OpenShift SDN, ACI).
   */
  public Path provenNetns(PodKey pod, Optional<InetAddress> podIp, Duration timeout) {
    return provenNetns(pod, podIp, timeout, false);
  }

  /**
   * As above; {@code scheduledHere}: the cluster puts the pod on this node, so a pod without an OVS
   * port is refused naming its missing port (FAILED_PRECONDITION), not as "not on this node".
   */
  public Path provenNetns(
      PodKey pod, Optional<InetAddress> podIp, Duration timeout, boolean scheduledHere) {
    PodFacts f = inspect(pod, podIp, timeout, scheduledHere);
    if (f.netns().isPresent()) {
      return Path.of(f.netns().get());
    }
    List<String> why =
        f.findings().stream()
            .filter(x -> x.severity() == Finding.Severity.ERROR)
            .map(Finding::message)
            .toList();
    throw new FailedPreconditionException(
        "pod "
            + pod
            + " on node "
            + ctx.nodeName()
            + ": refusing to act in a network namespace not proven to be the pod's: "
            + String.join("; ", why));
  }

  public PodFacts inspect(PodKey pod, Duration timeout) {
    return inspect(pod, Optional.empty(), timeout, false);
  }

  /**
   * InspectPod.
   *
   * @param podIp the pod's IP from the Kubernetes API: how pods of CNIs that write no name into
   *     OVSDB are found (ignored for the others)
   * @param scheduledHere the cluster schedules the pod on this node: a pod without an OVS port is
   *     then reported (an ERROR finding naming the iface-id, its port is off the bridge) instead of
   *     NOT_FOUND
   */
  public PodFacts inspect(
      PodKey pod, Optional<InetAddress> podIp, Duration timeout, boolean scheduledHere) {
    Instant deadline = Instant.now().plus(timeout);
    OvsState ovs = OvsState.read(ctx.ovsdb(), timeout);
    CniProfile profile = ctx.cniOf(ovs).profile();
    if (!PodPorts.namesPods(profile)) {
      if (podIp.isEmpty()) {
        throw new FailedPreconditionException(
            profile.cni()
                + " writes no pod name into OVSDB, so node "
                + ctx.nodeName()
                + " finds pod "
                + pod
                + " by its IP: ask through the aggregator (it sends the pod's IP), or inspect"
                + " the pod's IP");
      }
      String none =
          "no pod port on "
              + profile.podBridge()
              + " leads to a namespace with IP "
              + podIp.get().getHostAddress();
      Optional<PodFacts> found = byIp(ovs, profile, podIp.get(), Optional.of(pod), deadline);
      if (found.isEmpty() && scheduledHere) {
        return PodFacts.portMissing(
            ctx.nodeName(),
            profile,
            pod,
            Finding.error(
                "port-missing",
                none
                    + ": the pod's port is off the bridge, its interface is gone or its eth0 is"
                    + " down (a down link loses its IPv6 addresses), so it is cut off"));
      }
      return found.orElseThrow(
          () ->
              new NotFoundException(
                  "pod " + pod + " is not on node " + ctx.nodeName() + " (" + none + ")"));
    }
    List<OvsInterface> named = PodPorts.byName(ovs, profile, pod);
    if (named.isEmpty()) {
      if (!scheduledHere) {
        throw notFound(pod, profile);
      }
      return PodFacts.portMissing(
          ctx.nodeName(),
          profile,
          pod,
          LinkFindings.noPort(pod, ctx.nodeName(), ovs, host(left(deadline)).links()));
    }
    OvsInterface iface = named.get(0);
    List<Finding> findings = new ArrayList<>();
    if (named.size() > 1) {
      findings.add(
          Finding.warning(
              "iface-id-duplicate",
              "several OVS interfaces name pod " + pod + "; using " + iface.name()));
    }
    return inspectIface(ovs, profile, host(left(deadline)), pod, iface, findings, deadline);
  }

  /** Finds the local pod that owns this IP (NOT_FOUND when none does). */
  public PodFacts inspectByIp(InetAddress ip, Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    OvsState ovs = OvsState.read(ctx.ovsdb(), timeout);
    CniProfile profile = ctx.cniOf(ovs).profile();
    return byIp(ovs, profile, ip, Optional.empty(), deadline)
        .orElseThrow(
            () ->
                new NotFoundException(
                    "no local pod on node " + ctx.nodeName() + " has IP " + ip.getHostAddress()));
  }

  /**
   * The pod port whose namespace holds this IP. The name is the request's, else the one the port's
   * ids give, else empty (a CNI that writes none, asked by IP only).
   */
  private Optional<PodFacts> byIp(
      OvsState ovs, CniProfile profile, InetAddress ip, Optional<PodKey> asked, Instant deadline) {
    HostView host = host(left(deadline));
    for (OvsInterface i : PodPorts.candidates(ovs, profile, ip.getHostAddress())) {
      Optional<PodKey> named = PodPorts.nameOf(ovs, profile, i);
      if (asked.isPresent() && named.isPresent() && !named.get().equals(asked.get())) {
        continue; // the ids name another pod
      }
      PodKey key = asked.or(() -> named).orElse(new PodKey("", ""));
      PodFacts f = inspectIface(ovs, profile, host, key, i, new ArrayList<>(), deadline);
      if (f.ips().stream().anyMatch(a -> sameIp(a, ip))) {
        return Optional.of(f);
      }
    }
    return Optional.empty();
  }

  private PodFacts inspectIface(
      OvsState ovs,
      CniProfile profile,
      HostView host,
      PodKey pod,
      OvsInterface iface,
      List<Finding> findings,
      Instant deadline) {
    OptionalInt ofport = PodFacts.asInt(iface.ofport());
    if (ofport.orElse(-1) <= 0) {
      findings.add(
          Finding.error(
              "ofport-invalid",
              "OVS gives interface " + iface.name() + " ofport " + ofport.orElse(-1)));
    }
    if (!iface.error().isEmpty()) {
      findings.add(Finding.error("interface-error", iface.name() + ": " + iface.error()));
    }
    String bridge = PodPorts.bridgeOf(ovs, iface);
    String port = ovs.portOf(iface).map(OvsState.OvsPort::name).orElse("");
    Optional<IpLink> veth =
        host.links().stream().filter(l -> l.name().equals(iface.name())).findFirst();
    if (veth.isEmpty()) {
      findings.add(
          Finding.error(
              "host-interface-missing",
              "OVS has " + iface.name() + " but the node's kernel has no such interface"));
      return PodFacts.partial(ctx.nodeName(), profile, pod, iface, bridge, port, ofport, findings);
    }
    IpLink v = veth.get();
    if (iface.ifindex().isPresent() && iface.ifindex().getAsLong() != v.ifindex()) {
      findings.add(
          Finding.warning(
              "ovsdb-ifindex-mismatch",
              "OVSDB ifindex "
                  + iface.ifindex().getAsLong()
                  + " but kernel ifindex "
                  + v.ifindex()
                  + " for "
                  + v.name()));
    }
    int peer = peerIfindex(v, findings, deadline);
    NetnsLocator.Located located = netnsLocator.locate(v, peer, host.inode(), deadline);
    if (located instanceof NetnsLocator.Unproven u) {
      findings.add(Finding.error("netns-unproven", u.reason()));
      return PodFacts.partial(ctx.nodeName(), profile, pod, iface, bridge, port, ofport, findings);
    }
    NetnsLocator.Match m = ((NetnsLocator.Proven) located).match();
    IpLink eth = m.link();
    if (peer > 0 && eth.ifindex() != peer) {
      findings.add(
          Finding.error(
              "peer-ifindex-mismatch",
              "host veth "
                  + v.name()
                  + " says its peer is ifindex "
                  + peer
                  + " but "
                  + eth.name()
                  + " in "
                  + m.netns()
                  + " has ifindex "
                  + eth.ifindex()));
    }
    if (eth.mtu() != v.mtu()) {
      findings.add(
          Finding.warning(
              "mtu-mismatch",
              "pod "
                  + eth.name()
                  + " MTU "
                  + eth.mtu()
                  + " but host veth "
                  + v.name()
                  + " MTU "
                  + v.mtu()));
    }
    PodPorts.confirm(ovs, profile, host.links(), eth, findings);
    List<IpRoute> routes = ctx.ip().routes(Optional.of(m.netns()), left(deadline));
    LinkFindings.check(eth, v, routes, findings);
    List<String> ips =
        eth.addrs().stream()
            .filter(a -> !"link".equals(a.scope()) && !"host".equals(a.scope()))
            .map(IpLink.IpAddr::local)
            .toList();
    return PodFacts.builder(pod, ctx.nodeName(), profile.cni().flagName())
        .netns(Optional.of(m.netns().toString()))
        .podInterface(Optional.of(eth.name()))
        .ifindex(OptionalInt.of(eth.ifindex()))
        .iflink(eth.linkIndex())
        .hostInterface(Optional.of(v.name()))
        .hostIfindex(OptionalInt.of(v.ifindex()))
        .bridge(Optional.of(bridge))
        .ovsPort(Optional.of(port))
        .ofport(ofport)
        .ifaceId(Optional.ofNullable(iface.externalIds().get("iface-id")))
        .mac(Optional.of(eth.mac()).filter(x -> !x.isEmpty()))
        .ips(ips)
        .mtu(OptionalInt.of(eth.mtu()))
        .routes(routes)
        .findings(findings)
        .build();
  }

  /** ethtool's peer_ifindex of the host veth, else ip's link_index (0 when neither says). */
  private int peerIfindex(IpLink veth, List<Finding> findings, Instant deadline) {
    int fromIp = veth.linkIndex().orElse(0);
    try {
      Long p =
          ctx.ip().ethtoolStats(ctx.hostNetns(), veth.name(), left(deadline)).get("peer_ifindex");
      if (p == null) {
        return fromIp;
      }
      if (fromIp > 0 && p.intValue() != fromIp) {
        findings.add(
            Finding.warning(
                "peer-ifindex-disagree",
                "ethtool peer_ifindex "
                    + p
                    + " but ip link_index "
                    + fromIp
                    + " on "
                    + veth.name()));
      }
      return p.intValue();
    } catch (AgentException e) {
      findings.add(
          Finding.info("ethtool-unavailable", "ethtool -S " + veth.name() + ": " + e.getMessage()));
      return fromIp;
    }
  }

  private record HostView(List<IpLink> links, long inode) {}

  private HostView host(Duration timeout) {
    List<IpLink> links = ctx.ip().addrs(ctx.hostNetns(), timeout);
    long inode;
    try {
      inode =
          ctx.hostNetns().isPresent()
              ? NetnsExecutor.inode(ctx.hostNetns().get())
              : NetnsExecutor.inode(Path.of("/proc/self/ns/net"));
    } catch (IOException e) {
      inode = -1;
    }
    return new HostView(links, inode);
  }

  private NotFoundException notFound(PodKey pod, CniProfile profile) {
    return new NotFoundException(
        "pod "
            + pod
            + " is not on node "
            + ctx.nodeName()
            + " (no OVS interface with the "
            + profile.cni()
            + " ids naming it: "
            + profile.podPortIds().describe()
            + ")");
  }

  private static boolean sameIp(String text, InetAddress ip) {
    try {
      return InetAddresses.forString(text).equals(ip);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  static Duration left(Instant deadline) {
    Duration d = Duration.between(Instant.now(), deadline);
    if (d.isNegative() || d.isZero()) {
      throw new DeadlineExceededException("InspectPod ran out of time");
    }
    return d;
  }
}
