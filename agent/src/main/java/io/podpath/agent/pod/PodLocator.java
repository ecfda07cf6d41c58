package io.podpath.agent.pod;

import com.google.common.net.InetAddresses;
import io.podpath.agent.AgentContext;
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
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * InspectPod: pod → OVS interface (external_ids:iface-id) → host veth → the namespace whose link
 * has iflink = the veth's ifindex, and back (the veth's peer ifindex = that link's ifindex).
 * Disagreements become findings; only "no such pod here" is an error.
 */
public final class PodLocator {
  private final AgentContext ctx;
  private final NetnsLocator netnsLocator;

  public PodLocator(AgentContext ctx) {
    this.ctx = ctx;
    this.netnsLocator = new NetnsLocator(ctx.ip(), ctx.netns(), ctx.hostNetns());
  }

  /** The pod's OVS port only (no namespace work): what a trace needs to start. */
  public PodPort port(PodKey pod, Duration timeout) {
    OvsState ovs = OvsState.read(ctx.ovsdb(), timeout);
    OvsInterface iface = pick(ovs, pod).orElseThrow(() -> notFound(pod));
    return new PodPort(
        pod,
        pod.ifaceId(),
        iface.name(),
        bridgeName(ovs, iface),
        (int) iface.ofport().orElse(-1),
        iface.externalIds().getOrDefault("attached_mac", ""));
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
    PodFacts f = inspectPort(pod, timeout, true);
    if (!f.netns().isEmpty()) {
      return Path.of(f.netns());
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

  /**
   * InspectPod. When the cluster schedules the pod here ({@code scheduledHere}), a pod without an
   * OVS port is reported (an ERROR finding naming the iface-id): its port is off the bridge, the
   * disagreement to show. Otherwise no port means the pod is not here (NOT_FOUND).
   */
  public PodFacts inspect(PodKey pod, Duration timeout, boolean scheduledHere) {
    return inspectPort(pod, timeout, !scheduledHere);
  }

  private PodFacts inspectPort(PodKey pod, Duration timeout, boolean portRequired) {
    Instant deadline = Instant.now().plus(timeout);
    OvsState ovs = OvsState.read(ctx.ovsdb(), timeout);
    Optional<OvsInterface> picked = pick(ovs, pod);
    if (picked.isEmpty()) {
      if (portRequired) {
        throw notFound(pod);
      }
      Finding f = LinkFindings.noPort(pod, ctx.nodeName(), ovs, host(left(deadline)).links());
      return new PodFacts(
          pod,
          ctx.nodeName(),
          "",
          "",
          0,
          0,
          "",
          0,
          "",
          "",
          -1,
          pod.ifaceId(),
          "",
          List.of(),
          0,
          List.of(),
          List.of(f));
    }
    OvsInterface iface = picked.get();
    List<Finding> findings = new ArrayList<>();
    if (ovs.interfacesByIfaceId(pod.ifaceId()).size() > 1) {
      findings.add(
          Finding.warning(
              "iface-id-duplicate",
              "several OVS interfaces have iface-id " + pod.ifaceId() + "; using " + iface.name()));
    }
    return inspectIface(ovs, host(left(deadline)), pod, iface, findings, deadline);
  }

  /** Finds the local pod that owns this IP (NOT_FOUND when none does). */
  public PodFacts inspectByIp(InetAddress ip, Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    String want = ip.getHostAddress();
    OvsState ovs = OvsState.read(ctx.ovsdb(), timeout);
    HostView host = host(left(deadline));
    List<OvsInterface> pods =
        ovs.interfaces().stream()
            .filter(i -> i.externalIds().containsKey("iface-id") && i.type().isEmpty())
            .sorted(Comparator.comparing(OvsInterface::name))
            .toList();
    // OVN-Kubernetes records the pod's addresses on the interface: try those first.
    List<OvsInterface> ordered = new ArrayList<>();
    pods.stream().filter(i -> recordsIp(i, want)).forEach(ordered::add);
    pods.stream().filter(i -> !recordsIp(i, want)).forEach(ordered::add);
    for (OvsInterface i : ordered) {
      Optional<PodKey> key = PodKey.fromIfaceId(i.externalIds().get("iface-id"));
      if (key.isEmpty()) {
        continue;
      }
      PodFacts f = inspectIface(ovs, host, key.get(), i, new ArrayList<>(), deadline);
      if (f.ips().stream().anyMatch(a -> sameIp(a, ip))) {
        return f;
      }
    }
    throw new NotFoundException("no local pod on node " + ctx.nodeName() + " has IP " + want);
  }

  private PodFacts inspectIface(
      OvsState ovs,
      HostView host,
      PodKey pod,
      OvsInterface iface,
      List<Finding> findings,
      Instant deadline) {
    int ofport = (int) iface.ofport().orElse(-1);
    if (ofport <= 0) {
      findings.add(
          Finding.error(
              "ofport-invalid", "OVS gives interface " + iface.name() + " ofport " + ofport));
    }
    if (!iface.error().isEmpty()) {
      findings.add(Finding.error("interface-error", iface.name() + ": " + iface.error()));
    }
    String bridge = bridgeName(ovs, iface);
    String port = ovs.portOf(iface).map(OvsState.OvsPort::name).orElse("");
    Optional<IpLink> veth =
        host.links().stream().filter(l -> l.name().equals(iface.name())).findFirst();
    if (veth.isEmpty()) {
      findings.add(
          Finding.error(
              "host-interface-missing",
              "OVS has " + iface.name() + " but the node's kernel has no such interface"));
      return partial(pod, iface, bridge, port, ofport, findings);
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
      return partial(pod, iface, bridge, port, ofport, findings);
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
    List<IpRoute> routes = ctx.ip().routes(Optional.of(m.netns()), left(deadline));
    LinkFindings.check(eth, v, routes, findings);
    List<String> ips =
        eth.addrs().stream()
            .filter(a -> !"link".equals(a.scope()) && !"host".equals(a.scope()))
            .map(IpLink.IpAddr::local)
            .toList();
    return new PodFacts(
        pod,
        ctx.nodeName(),
        m.netns().toString(),
        eth.name(),
        eth.ifindex(),
        eth.linkIndex().orElse(0),
        v.name(),
        v.ifindex(),
        bridge,
        port,
        ofport,
        pod.ifaceId(),
        eth.mac(),
        ips,
        eth.mtu(),
        routes,
        List.copyOf(findings));
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

  private PodFacts partial(
      PodKey pod, OvsInterface iface, String bridge, String port, int ofport, List<Finding> f) {
    return new PodFacts(
        pod,
        ctx.nodeName(),
        "",
        "",
        0,
        0,
        iface.name(),
        (int) iface.ifindex().orElse(0),
        bridge,
        port,
        ofport,
        pod.ifaceId(),
        "",
        List.of(),
        0,
        List.of(),
        List.copyOf(f));
  }

  private Optional<OvsInterface> pick(OvsState ovs, PodKey pod) {
    return ovs.interfacesByIfaceId(pod.ifaceId()).stream()
        .max(Comparator.comparingLong(i -> i.ofport().orElse(-1)));
  }

  private NotFoundException notFound(PodKey pod) {
    return new NotFoundException(
        "pod "
            + pod
            + " is not on node "
            + ctx.nodeName()
            + " (no OVS interface with external_ids:iface-id="
            + pod.ifaceId()
            + ")");
  }

  private static String bridgeName(OvsState ovs, OvsInterface iface) {
    return ovs.portOf(iface).flatMap(ovs::bridgeOf).map(OvsState.OvsBridge::name).orElse("");
  }

  private static boolean recordsIp(OvsInterface i, String ip) {
    String recorded = i.externalIds().getOrDefault("ip_addresses", "");
    for (String cidr : recorded.split(",")) {
      String a = cidr.strip();
      int slash = a.indexOf('/');
      if (!a.isEmpty() && (slash < 0 ? a : a.substring(0, slash)).equals(ip)) {
        return true;
      }
    }
    return false;
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
