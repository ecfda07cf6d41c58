package io.podpath.agent.kernel;

import static io.podpath.agent.kernel.Fixtures.ip;
import static org.assertj.core.api.Assertions.assertThat;

import io.podpath.agent.kernel.iptables.IptablesSave;
import io.podpath.agent.kernel.iptables.NatApplied;
import io.podpath.agent.kernel.iptables.Ruleset;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The kernel hop for IPv6 packets on ip6tables rules and {@code ip -6 -j route get} answers
 * recorded from node1 of an IPv6-only OVN sandbox (hack/fixtures/kernel-ipv6.sh).
 */
class Ipv6KernelHopTest {
  static final IpAddr POD1 = ip("fd00:10:244:1::3");
  static final IpAddr POD2 = ip("fd00:10:244:2::3");
  static final IpAddr EXT = ip("fd00:172:31:37::200");
  static final IpAddr NODE1 = ip("fd00:172:31:37::11");
  static final RouteAnswer EGRESS = route("route-get-egress.json");
  static final RouteAnswer TO_POD2 = route("route-get-pod.json");
  static final RouteAnswer REVERSE = route("route-get-reverse.json");

  static String fx(String name) {
    return Fixtures.read("ipv6/" + name);
  }

  static RouteAnswer route(String name) {
    return IpRouteLookup.parse(fx(name));
  }

  static KernelFacts facts(boolean forwarding, String rules6) {
    return new KernelFacts(
        "node1",
        Ruleset.EMPTY,
        Map.of(
            "br-phy", Set.of(ip("172.31.37.11"), NODE1, ip("fe80::1")),
            "ovn-k8s-mp0", Set.of(ip("fd00:10:244:1::2"))),
        true,
        Map.of(),
        2,
        Map.of(),
        Map.of("br-phy", 1500, "ovn-k8s-mp0", 1400),
        OptionalLong.of(1),
        OptionalLong.of(100),
        Set.of("ovn-k8s-mp0"),
        new Ipv6Facts(
            true,
            IptablesSave.parse(fx(rules6)),
            forwarding,
            Map.of("ovn-k8s-mp0", forwarding, "br-phy", forwarding)));
  }

  static KernelHop hop(KernelFacts f) {
    return new KernelHop(
        f,
        (dst, from, iif, mark) ->
            dst.equals(POD1)
                ? REVERSE
                : dst.equals(POD2)
                    ? TO_POD2
                    : dst.equals(EXT)
                        ? EGRESS
                        : IpRouteLookup.unroutable(fx("route-get-unreachable.err")));
  }

  static KernelPacket from(Proto p, IpAddr dst, int port) {
    return KernelPacket.of(p, POD1, 40000, dst, port, Optional.of("ovn-k8s-mp0"));
  }

  @Test
  void podToExtLeavesByTheUplinkMasqueradedToTheNodesGlobalIpv6() {
    KernelHopOutcome o =
        hop(facts(true, "ip6tables-save-ovn-node1.txt")).trace(from(Proto.TCP, EXT, 80));
    assertThat(o).isInstanceOf(KernelHopOutcome.Forwarded.class);
    KernelHopOutcome.Forwarded f = (KernelHopOutcome.Forwarded) o;
    assertThat(f.device()).isEqualTo("br-phy");
    assertThat(f.packet().src()).isEqualTo(NODE1);
    assertThat(f.nat()).extracting(NatApplied::kind).containsExactly("MASQUERADE");
    // an IPv6 address is bracketed before its port, as in a URL
    assertThat(f.nat().get(0).toString())
        .startsWith("MASQUERADE [" + POD1 + "]:40000 -> [" + NODE1 + "]:");
    assertThat(f.facts())
        .contains(
            "net.ipv6.conf.all.forwarding=1, net.ipv6.conf.ovn-k8s-mp0.forwarding=1",
            "IPv6 has no rp_filter: the source is not checked against the routes");
  }

  @Test
  void ipv6ForwardingOffDropsThoughTheRouteLookupStillAnswers() {
    // the kernel's route lookup answers with forwarding off (recorded); ip6_forward drops
    assertThat(route("route-get-forwarding-off.json")).isEqualTo(EGRESS);
    KernelHopOutcome o =
        hop(facts(false, "ip6tables-save-ovn-node1.txt")).trace(from(Proto.ICMP, EXT, 0));
    KernelHopOutcome.Dropped d = (KernelHopOutcome.Dropped) o;
    assertThat(io.podpath.agent.trace.KernelStage.code(d.cause())).isEqualTo("ip-forward-off");
    assertThat(d.cause().text())
        .isEqualTo("IPv6 forwarding is off on node1 (net.ipv6.conf.all.forwarding=0)");
  }

  @Test
  void theSandboxsIp6tablesFaultsDropAndReject() {
    KernelHop h = hop(facts(true, "ip6tables-save-ovn-faults.txt"));
    KernelHopOutcome.Dropped drop = (KernelHopOutcome.Dropped) h.trace(from(Proto.UDP, POD2, 53));
    assertThat(drop.cause().text())
        .isEqualTo(
            "dropped on node1 by ip6tables filter FORWARD #1: -A FORWARD -d fd00:10:244:2::3/128"
                + " -m comment --comment \"podpath-fault fw6-drop\" -j DROP");
    KernelHopOutcome.Dropped rej = (KernelHopOutcome.Dropped) h.trace(from(Proto.TCP, EXT, 80));
    assertThat(rej.cause().text())
        .startsWith("rejected (icmp6-port-unreachable) on node1 by ip6tables");
    // the IPv4 rules are another table set: an IPv4 packet is not judged by them
    KernelPacket v4 =
        KernelPacket.of(
            Proto.TCP, ip("10.244.1.3"), 4000, ip("10.244.2.3"), 80, Optional.of("ovn-k8s-mp0"));
    KernelHopOutcome four =
        new KernelHop(
                facts(true, "ip6tables-save-ovn-faults.txt"),
                (dst, f, iif, mark) ->
                    new RouteAnswer.Route(
                        "unicast", "br-phy", Optional.empty(), Optional.empty(), 0))
            .trace(v4);
    assertThat(four).isInstanceOf(KernelHopOutcome.Forwarded.class);
  }

  @Test
  void missingIpv6RouteIsNamedWithTheKernelsWords() {
    KernelHopOutcome o =
        hop(facts(true, "ip6tables-save-ovn-node1.txt"))
            .trace(from(Proto.TCP, ip("2001:db8::7"), 80));
    assertThat(((KernelHopOutcome.Dropped) o).cause().text())
        .isEqualTo("no route to 2001:db8::7 on node1 (Network is unreachable)");
  }

  @Test
  void podToPodOfAnotherNodeGoesBackIntoOvsByItsGateway() {
    KernelHopOutcome o =
        hop(facts(true, "ip6tables-save-ovn-node1.txt")).trace(from(Proto.TCP, POD2, 80));
    KernelHopOutcome.BackToOvs b = (KernelHopOutcome.BackToOvs) o;
    assertThat(b.device()).isEqualTo("ovn-k8s-mp0");
    assertThat(b.gateway()).contains(ip("fd00:10:244:1::1"));
  }

  @Test
  void aForwardedIpv6PacketTooBigIsDroppedWithOrWithoutDf() {
    KernelHop h = hop(facts(true, "ip6tables-save-ovn-node1.txt"));
    KernelHopOutcome.Dropped d =
        (KernelHopOutcome.Dropped) h.trace(from(Proto.UDP, EXT, 53).withSize(1600, false));
    assertThat(d.cause().text())
        .isEqualTo("1600 > 1500 (MTU of br-phy on node1): IPv6 is never fragmented on the way");
  }

  @Test
  void kubeProxyIpv6RulesDnatRejectAndMatchIcmpv6() {
    KernelFacts f = facts(true, "ip6tables-save-kube-proxy.txt");
    KernelHop h = new KernelHop(f, (dst, from, iif, mark) -> dst.equals(POD1) ? REVERSE : TO_POD2);
    KernelPacket toSvc =
        KernelPacket.of(
            Proto.TCP, POD2, 40000, ip("fd00:10:96::10"), 80, Optional.of("ovn-k8s-mp0"));
    KernelHopOutcome o = h.trace(toSvc);
    assertThat(o).isInstanceOf(KernelHopOutcome.BackToOvs.class);
    assertThat(((KernelHopOutcome.BackToOvs) o).packet().dst()).isEqualTo(POD1);
    assertThat(((KernelHopOutcome.BackToOvs) o).packet().dstPort()).isEqualTo(80);

    KernelHopOutcome.Dropped empty =
        (KernelHopOutcome.Dropped) h.trace(from(Proto.TCP, ip("fd00:10:96::30"), 80));
    assertThat(empty.cause().text()).startsWith("rejected (icmp6-port-unreachable)");
    KernelHopOutcome.Dropped echo =
        (KernelHopOutcome.Dropped) h.trace(from(Proto.ICMP, ip("fd00:10:96::31"), 0));
    assertThat(echo.cause().text()).startsWith("rejected (icmp6-adm-prohibited)");
    KernelPacket lab =
        KernelPacket.of(Proto.ICMP, ip("2001:db8:1::5"), 0, POD2, 0, Optional.of("br-phy"));
    assertThat(((KernelHopOutcome.Dropped) h.trace(lab)).cause().text())
        .contains("--icmpv6-type 128");
  }

  @Test
  void theUplinkNeighbourOfExtIsReadInIpv6() {
    Optional<Neighbour> n = Neighbour.parse(EXT, fx("neigh-ext.json"));
    assertThat(n).isPresent();
    assertThat(n.get().mac()).isPresent();
    assertThat(Neighbour.argv(EXT, "br-phy"))
        .containsExactly("ip", "-j", "neigh", "show", "to", "fd00:172:31:37::200", "dev", "br-phy");
  }

  @Test
  void prefixesOfBothFamilies() {
    Cidr c = Cidr.parse("fd00:10:244::/48");
    assertThat(c.contains(POD2)).isTrue();
    assertThat(c.contains(EXT)).isFalse();
    assertThat(c.contains(ip("10.244.1.3"))).isFalse();
    assertThat(Cidr.parse("fd00:10:244:2::3/128").contains(POD2)).isTrue();
    assertThat(Cidr.parse("10.0.0.0/255.0.0.0").contains(ip("10.1.2.3"))).isTrue();
    assertThat(Cidr.parse("0.0.0.0/0").contains(POD2)).isFalse();
    assertThat(ip("fd00:10:244:1::3").toString()).isEqualTo("fd00:10:244:1::3");
    assertThat(ip("fe80::1").isLinkLocal()).isTrue();
    assertThat(ip("ff02::1").isMulticast()).isTrue();
  }
}
