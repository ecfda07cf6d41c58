package io.podpath.agent.trace;

import io.podpath.agent.ip.IpLink;
import io.podpath.agent.ip.IpRoute;
import io.podpath.agent.kernel.IpAddr;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * One pod's own end of the path as its network namespace shows it: its interface (link state, MTU)
 * and its main-table routes of each family. OVS hands a packet to the pod's port whatever the pod's
 * kernel does with it, so these are what decide whether the pod can send the packet (source end) or
 * receive it and answer (destination end).
 *
 * @param iface the pod's interface toward OVS ({@code eth0}); empty when it no longer exists
 * @param routes the IPv4 routes
 * @param routes6 the IPv6 routes
 * @param cutOff why the pod's port is broken on the node's side, when it is
 */
record PodEnd(
    PodName pod,
    String node,
    String ifname,
    Optional<IpLink> iface,
    List<IpRoute> routes,
    List<IpRoute> routes6,
    Optional<String> cutOff) {
  PodEnd {
    routes = List.copyOf(routes);
    routes6 = List.copyOf(routes6);
  }

  PodEnd(PodName pod, String node, String ifname, Optional<IpLink> iface, List<IpRoute> routes) {
    this(pod, node, ifname, iface, routes, List.of(), Optional.empty());
  }

  PodEnd(
      PodName pod,
      String node,
      String ifname,
      Optional<IpLink> iface,
      List<IpRoute> routes,
      List<IpRoute> routes6) {
    this(pod, node, ifname, iface, routes, routes6, Optional.empty());
  }

  /** The pod's port is broken on the node's side (no kernel interface, an OVS error). */
  static PodEnd cutOff(PodName pod, String node, String why) {
    return new PodEnd(pod, node, "", Optional.empty(), List.of(), List.of(), Optional.of(why));
  }

  enum Side {
    SOURCE,
    DESTINATION
  }

  /** Why the packet stops at this pod end: a stable code and the words. */
  record Blocked(String code, String text) {}

  /**
   * Whether this end stops the packet. {@code peer} is the other end's address as this pod's kernel
   * routes it (the destination for a source pod; the packet's source, where the answer goes, for a
   * destination pod). Size checks and notes go to {@code sizes} and {@code findings}.
   */
  Optional<Blocked> judge(
      Side side,
      String peer,
      int ipLength,
      boolean df,
      List<SizeCheck> sizes,
      List<TraceFinding> findings) {
    String who = "pod " + pod + " on " + node;
    if (cutOff.isPresent()) {
      return Optional.of(
          new Blocked("pod-port-broken", who + " is cut off from its port: " + cutOff.get()));
    }
    if (iface.isEmpty()) {
      return Optional.of(
          new Blocked(
              "pod-interface-missing",
              who + " has no " + ifname + " any more: the pod is cut off from its port"));
    }
    IpLink eth = iface.get();
    if (!up(eth)) {
      return Optional.of(
          new Blocked(
              "pod-interface-down",
              who
                  + ": its "
                  + eth.name()
                  + " is "
                  + eth.operstate()
                  + (side == Side.SOURCE
                      ? ", so the pod cannot send the packet"
                      : ", so the packet is not delivered into the pod")));
    }
    Optional<Blocked> size = size(side, eth, ipLength, df, sizes, findings);
    if (size.isPresent()) {
      return size;
    }
    Optional<IpAddr> to = IpAddr.tryParse(peer);
    if (to.isEmpty()) {
      findings.add(
          TraceFinding.info(
              "pod-route-unchecked",
              who + ": the route toward " + peer + " is not checked (not an IP address)"));
      return Optional.empty();
    }
    Optional<IpRoute> route = route(to.get());
    if (route.isEmpty() || !"unicast".equals(type(route.get()))) {
      String what =
          route.map(r -> "its route " + r.destination() + " is " + type(r)).orElse("no route");
      return Optional.of(
          new Blocked(
              "pod-no-route",
              who
                  + " has "
                  + what
                  + " to "
                  + peer
                  + (side == Side.SOURCE
                      ? ": the pod cannot send the packet"
                      : ": the packet arrives but nothing goes back")
                  + " (its routes: "
                  + (to.get().v6() ? routes6 : routes).stream().map(PodEnd::describe).toList()
                  + ")"));
    }
    return Optional.empty();
  }

  /**
   * The packet against this pod's MTU. A source pod's kernel refuses a DF packet over its MTU (and
   * fragments one without DF); a destination pod's veth drops a frame over its MTU whatever DF says
   * (OVS neither fragments it nor answers), but without DF the sender may already have fragmented
   * it to its own MTU, which this node cannot see: that case is a note.
   */
  private Optional<Blocked> size(
      Side side,
      IpLink eth,
      int ipLength,
      boolean df,
      List<SizeCheck> sizes,
      List<TraceFinding> findings) {
    if (eth.mtu() <= 0) {
      return Optional.empty();
    }
    boolean fits = ipLength <= eth.mtu();
    String text =
        ipLength
            + (fits ? " <= " : " > ")
            + eth.mtu()
            + " on pod "
            + pod
            + " "
            + eth.name()
            + " ("
            + node
            + ")";
    sizes.add(
        new SizeCheck(
            (side == Side.SOURCE ? "source" : "destination")
                + " pod "
                + pod
                + " "
                + eth.name()
                + " on "
                + node,
            ipLength,
            0,
            eth.mtu(),
            fits,
            text));
    if (fits) {
      return Optional.empty();
    }
    if (df) {
      return Optional.of(
          new Blocked(
              "too-big",
              text
                  + (side == Side.SOURCE
                      ? ": with DF set the pod's kernel does not send it (message too long)"
                      : ": the pod's interface does not take a packet over its MTU")));
    }
    findings.add(
        TraceFinding.info(
            "pod-fragments",
            text
                + (side == Side.SOURCE
                    ? ": without DF the pod's kernel sends it in fragments"
                    : ": without DF it arrives only if the sender fragmented it to fit")));
    return Optional.empty();
  }

  /**
   * The IP length of the largest packet that leaves this (source) pod: the packet itself, or, when
   * it is over the pod's MTU without DF, its first IPv4 fragment (payload a multiple of 8).
   */
  int leaves(int ipLength, boolean df) {
    int mtu = iface.map(IpLink::mtu).orElse(0);
    if (df || mtu <= 0 || ipLength <= mtu) {
      return ipLength;
    }
    return 20 + (mtu - 20) / 8 * 8;
  }

  /**
   * The pod kernel's route to {@code to}: the longest prefix of its family's main table that holds
   * it.
   */
  Optional<IpRoute> route(IpAddr to) {
    return (to.v6() ? routes6 : routes)
        .stream().filter(r -> holds(r, to) >= 0).max(Comparator.comparingInt(r -> holds(r, to)));
  }

  /**
   * The length of {@code r}'s prefix when it holds {@code to}, else -1 (another family, another
   * prefix, or a destination that is no prefix).
   */
  private static int holds(IpRoute r, IpAddr to) {
    if (r.destination().equals("default")) {
      // a list of both families (InspectPod's) tells a default route's family by its gateway
      return IpAddr.tryParse(r.gateway()).map(g -> g.v6() == to.v6()).orElse(true) ? 0 : -1;
    }
    String d = r.destination();
    int slash = d.indexOf('/');
    Optional<IpAddr> net = IpAddr.tryParse(slash < 0 ? d : d.substring(0, slash));
    if (net.isEmpty() || net.get().v6() != to.v6()) {
      return -1;
    }
    int len = net.get().width();
    if (slash >= 0) {
      String l = d.substring(slash + 1);
      if (l.isEmpty() || l.length() > 3 || !l.chars().allMatch(Character::isDigit)) {
        return -1;
      }
      len = Integer.parseInt(l);
      if (len > net.get().width()) {
        return -1;
      }
    }
    return to.masked(len).equals(net.get().masked(len)) ? len : -1;
  }

  private static String type(IpRoute r) {
    return r.type().isEmpty() ? "unicast" : r.type();
  }

  private static String describe(IpRoute r) {
    return r.destination()
        + (r.gateway().isEmpty() ? "" : " via " + r.gateway())
        + (r.device().isEmpty() ? "" : " dev " + r.device());
  }

  /** UP, or UNKNOWN with the UP flag (a link that reports no state). */
  static boolean up(IpLink l) {
    return l.operstate().equals("UP")
        || (l.operstate().equals("UNKNOWN") && l.flags().contains("UP"));
  }
}
