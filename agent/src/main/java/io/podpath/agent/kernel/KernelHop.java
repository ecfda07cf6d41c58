package io.podpath.agent.kernel;

import io.podpath.agent.kernel.KernelHopOutcome.Cause;
import io.podpath.agent.kernel.iptables.Hook;
import io.podpath.agent.kernel.iptables.HookEnv;
import io.podpath.agent.kernel.iptables.HookResult;
import io.podpath.agent.kernel.iptables.IptablesEvaluator;
import io.podpath.agent.kernel.iptables.NatApplied;
import io.podpath.agent.kernel.iptables.RuleHit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One packet through one node's kernel, in the kernel's order: conntrack admission, PREROUTING, the
 * routing decision (local or forwarded: ip_forward, rp_filter, route), INPUT or FORWARD, the egress
 * MTU, POSTROUTING. A locally generated packet takes OUTPUT instead of PREROUTING. An IPv6 packet
 * takes the ip6tables rules and net.ipv6.conf.all.forwarding; IPv6 has no rp_filter, and a router
 * never fragments it (too big for the egress MTU is a drop whatever DF says).
 */
public final class KernelHop {
  private final KernelFacts facts;
  private final RouteLookup routes;
  private final IptablesEvaluator rules;
  private final IptablesEvaluator rules6;

  public KernelHop(KernelFacts facts, RouteLookup routes) {
    this.facts = facts;
    this.routes = routes;
    this.rules = new IptablesEvaluator(facts.rules());
    this.rules6 = new IptablesEvaluator(facts.v6().rules());
  }

  public KernelHopOutcome trace(KernelPacket in) {
    State s = new State(in);
    if (in.v6() && !facts.v6().present()) {
      return new KernelHopOutcome.Inconclusive(
          facts.node() + " has no IPv6 (no /proc/sys/net/ipv6)", List.of(), List.of());
    }
    String node = facts.node();
    if (in.ctState() == CtState.NEW
        && facts.conntrackCount().isPresent()
        && facts.conntrackMax().isPresent()
        && facts.conntrackMax().getAsLong() > 0) {
      long c = facts.conntrackCount().getAsLong();
      long m = facts.conntrackMax().getAsLong();
      s.facts.add("kernel conntrack " + c + "/" + m);
      if (c >= m) {
        return s.drop(new Cause.ConntrackFull(node, c, m));
      }
    }
    if (in.local()) {
      return local(s);
    }
    String iif = in.inInterface().orElseThrow();

    KernelHopOutcome bad =
        s.hook(Hook.PREROUTING, env(Optional.empty(), Optional.empty(), iif, s.packet.v6()));
    if (bad != null) {
      return bad;
    }
    if (facts.localAddresses().contains(s.packet.dst())) {
      s.facts.add("route: " + s.packet.dst() + " is local");
      bad = s.hook(Hook.INPUT, env(Optional.of("lo"), Optional.empty(), iif, s.packet.v6()));
      if (bad != null) {
        return bad;
      }
      return new KernelHopOutcome.DeliveredLocal(
          s.packet.dst(), s.packet, s.nat, s.hits, List.copyOf(s.facts));
    }
    if (s.packet.v6()) {
      return forward6(s, iif);
    }
    if (!facts.ipForward()) {
      s.facts.add("net.ipv4.ip_forward=0");
      return s.drop(new Cause.IpForwardOff(node, ""));
    }
    if (!facts.forwarding().getOrDefault(iif, true)) {
      s.facts.add("net.ipv4.conf." + iif + ".forwarding=0");
      return s.drop(new Cause.IpForwardOff(node, iif));
    }
    int rp = facts.rpFilterOf(iif);
    if (rp > 0) {
      RouteAnswer back =
          routes.get(s.packet.src(), Optional.empty(), Optional.empty(), s.packet.mark());
      boolean ok =
          back instanceof RouteAnswer.Route r
              && r.type().equals("unicast")
              && (rp == 2 || r.device().equals(iif));
      s.facts.add("rp_filter=" + rp + " on " + iif + ", reverse route: " + show(back));
      if (!ok) {
        return s.drop(new Cause.RpFilter(node, iif, rp, s.packet.src()));
      }
    }
    return routeAndForward(s, iif);
  }

  /** ip6_forward: only conf/all/forwarding decides; no reverse-path filter exists in IPv6. */
  private KernelHopOutcome forward6(State s, String iif) {
    boolean on = facts.v6().forwarding();
    s.facts.add(
        "net.ipv6.conf.all.forwarding="
            + (on ? 1 : 0)
            + facts.v6().forwardingByDevice().entrySet().stream()
                .filter(e -> e.getKey().equals(iif))
                .map(e -> ", net.ipv6.conf." + iif + ".forwarding=" + (e.getValue() ? 1 : 0))
                .findFirst()
                .orElse(""));
    if (!on) {
      return s.drop(new Cause.IpForwardOff(facts.node(), "", true));
    }
    s.facts.add("IPv6 has no rp_filter: the source is not checked against the routes");
    return routeAndForward(s, iif);
  }

  private KernelHopOutcome routeAndForward(State s, String iif) {
    String node = facts.node();
    RouteAnswer ra =
        routes.get(s.packet.dst(), Optional.of(s.packet.src()), Optional.of(iif), s.packet.mark());
    s.facts.add("route: " + show(ra));
    if (!(ra instanceof RouteAnswer.Route r) || !r.type().equals("unicast")) {
      String msg =
          ra instanceof RouteAnswer.Unroutable u
              ? u.message()
              : "route type " + ((RouteAnswer.Route) ra).type();
      return s.drop(new Cause.NoRoute(node, s.packet.dst(), msg));
    }
    KernelHopOutcome bad =
        s.hook(Hook.FORWARD, env(Optional.of(r.device()), Optional.empty(), iif, s.packet.v6()));
    if (bad != null) {
      return bad;
    }
    return egress(s, r);
  }

  private KernelHopOutcome local(State s) {
    RouteAnswer ra =
        routes.get(s.packet.dst(), Optional.of(s.packet.src()), Optional.empty(), s.packet.mark());
    s.facts.add("route: " + show(ra));
    if (!(ra instanceof RouteAnswer.Route r)) {
      return s.drop(
          new Cause.NoRoute(facts.node(), s.packet.dst(), ((RouteAnswer.Unroutable) ra).message()));
    }
    if (r.type().equals("local")) {
      KernelHopOutcome bad =
          s.hook(Hook.OUTPUT, env(Optional.of("lo"), Optional.empty(), "", s.packet.v6()));
      return bad != null
          ? bad
          : new KernelHopOutcome.DeliveredLocal(
              s.packet.dst(), s.packet, s.nat, s.hits, List.copyOf(s.facts));
    }
    if (!r.type().equals("unicast")) {
      return s.drop(new Cause.NoRoute(facts.node(), s.packet.dst(), "route type " + r.type()));
    }
    KernelHopOutcome bad =
        s.hook(Hook.OUTPUT, env(Optional.of(r.device()), Optional.empty(), "", s.packet.v6()));
    return bad != null ? bad : egress(s, r);
  }

  private KernelHopOutcome egress(State s, RouteAnswer.Route r) {
    int mtu = r.mtu() > 0 ? r.mtu() : facts.mtu().getOrDefault(r.device(), 0);
    if (mtu > 0) {
      s.facts.add("egress " + r.device() + " MTU " + mtu + ", packet " + s.packet.size());
      // IPv6 routers never fragment; only a local IPv6 sender may (DF off: the socket fragments)
      boolean mayFragment = !s.packet.df() && !(s.packet.v6() && !s.packet.local());
      if (s.packet.size() > mtu && !mayFragment) {
        return s.drop(
            new Cause.TooBig(
                facts.node(), r.device(), s.packet.size(), mtu, s.packet.v6() && !s.packet.df()));
      }
    }
    boolean v6 = s.packet.v6();
    Optional<IpAddr> masq = r.source().or(() -> facts.firstAddress(r.device(), v6));
    KernelHopOutcome bad =
        s.hook(Hook.POSTROUTING, env(Optional.of(r.device()), masq, "", s.packet.v6()));
    if (bad != null) {
      return bad;
    }
    if (facts.ovsPorts().contains(r.device())) {
      return new KernelHopOutcome.BackToOvs(
          r.device(), r.gateway(), s.packet, s.nat, s.hits, List.copyOf(s.facts));
    }
    return new KernelHopOutcome.Forwarded(
        r.device(), r.gateway(), s.packet, s.nat, s.hits, List.copyOf(s.facts));
  }

  private HookEnv env(Optional<String> out, Optional<IpAddr> masq, String iif, boolean v6) {
    return new HookEnv(
        facts.localAddresses(),
        out,
        masq,
        iif.isEmpty() ? Optional.empty() : facts.firstAddress(iif, v6));
  }

  private static String show(RouteAnswer a) {
    if (a instanceof RouteAnswer.Route r) {
      return r.type()
          + " dev "
          + r.device()
          + r.gateway().map(g -> " via " + g).orElse("")
          + r.source().map(x -> " src " + x).orElse("");
    }
    return "error: " + ((RouteAnswer.Unroutable) a).message();
  }

  /** The packet as the hooks rewrite it, and what the hop has seen so far. */
  private final class State {
    KernelPacket packet;
    final List<NatApplied> nat = new ArrayList<>();
    final List<RuleHit> hits = new ArrayList<>();
    final List<String> facts = new ArrayList<>();

    State(KernelPacket p) {
      this.packet = p;
    }

    KernelHopOutcome drop(Cause c) {
      return new KernelHopOutcome.Dropped(c, List.copyOf(hits), List.copyOf(facts));
    }

    /** Runs one hook; null when the packet passes (rewritten in place). */
    @Nullable KernelHopOutcome hook(Hook h, HookEnv env) {
      HookResult r = (packet.v6() ? rules6 : rules).evaluate(h, packet, env, nat);
      hits.addAll(r.hits());
      if (r instanceof HookResult.Passed p) {
        packet = p.packet();
        nat.clear();
        nat.addAll(p.nat());
        return null;
      }
      if (r instanceof HookResult.Dropped d) {
        return drop(
            new Cause.ByRule(KernelHop.this.facts.node(), d.rule(), false, "", packet.v6()));
      }
      if (r instanceof HookResult.Rejected j) {
        return drop(
            new Cause.ByRule(KernelHop.this.facts.node(), j.rule(), true, j.with(), packet.v6()));
      }
      HookResult.Inconclusive i = (HookResult.Inconclusive) r;
      return new KernelHopOutcome.Inconclusive(
          (packet.v6() ? "ip6tables " : "iptables ")
              + i.rule().where()
              + " ("
              + i.rule().text()
              + "): "
              + i.why(),
          List.copyOf(hits),
          List.copyOf(facts));
    }
  }
}
