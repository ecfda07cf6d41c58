package io.podpath.agent.kernel;

import static io.podpath.agent.kernel.Fixtures.ip;
import static org.assertj.core.api.Assertions.assertThat;

import io.podpath.agent.kernel.iptables.IptablesSave;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The kernel hop on facts and route answers recorded from sandbox node1 (ovn mode:
 * hack/fixtures/kernel.sh). Routes are the recorded {@code ip -j route get} answers.
 */
class KernelHopTest {
  static final RouteAnswer EGRESS = IpRouteLookup.parse(Fixtures.read("route-get-ovn-egress.json"));
  static final RouteAnswer REVERSE =
      IpRouteLookup.parse(Fixtures.read("route-get-ovn-reverse.json"));
  static final RouteAnswer UNREACHABLE =
      IpRouteLookup.unroutable(Fixtures.read("route-get-ovn-unreachable.err"));

  static KernelFacts facts(boolean forward, String rules, long ctCount) {
    return new KernelFacts(
        "node1",
        IptablesSave.parse(Fixtures.read(rules)),
        Map.of("br-phy", Set.of(ip("172.31.13.11")), "ovn-k8s-mp0", Set.of(ip("10.244.1.2"))),
        forward,
        Map.of(),
        2,
        Map.of(),
        Map.of("br-phy", 1500, "ovn-k8s-mp0", 1400),
        OptionalLong.of(ctCount),
        OptionalLong.of(100),
        Set.of("ovn-k8s-mp0"),
        Ipv6Facts.NONE);
  }

  static KernelHop hop(KernelFacts f, RouteAnswer forward) {
    return new KernelHop(
        f, (dst, from, iif, mark) -> dst.equals(ip("10.244.1.3")) ? REVERSE : forward);
  }

  static KernelPacket toExt() {
    return KernelPacket.of(
        Proto.TCP, ip("10.244.1.3"), 40000, ip("172.31.13.200"), 80, Optional.of("ovn-k8s-mp0"));
  }

  @Test
  void podToExternalLeavesByTheUplinkMasqueradedToTheNodeAddress() {
    KernelHopOutcome o = hop(facts(true, "iptables-save-ovn-node1.txt", 1), EGRESS).trace(toExt());
    assertThat(o).isInstanceOf(KernelHopOutcome.Forwarded.class);
    KernelHopOutcome.Forwarded f = (KernelHopOutcome.Forwarded) o;
    assertThat(f.device()).isEqualTo("br-phy");
    assertThat(f.packet().src()).isEqualTo(ip("172.31.13.11"));
    assertThat(f.nat()).extracting(n -> n.kind()).containsExactly("MASQUERADE");
  }

  @Test
  void ipForwardOffIsNamed() {
    KernelHopOutcome o = hop(facts(false, "iptables-save-ovn-node1.txt", 1), EGRESS).trace(toExt());
    assertThat(((KernelHopOutcome.Dropped) o).cause().text()).isEqualTo("ip_forward is 0 on node1");
  }

  @Test
  void missingRouteIsNamedWithTheKernelsWords() {
    KernelHopOutcome o =
        hop(facts(true, "iptables-save-ovn-node1.txt", 1), UNREACHABLE).trace(toExt());
    assertThat(((KernelHopOutcome.Dropped) o).cause().text())
        .isEqualTo("no route to 172.31.13.200 on node1 (Network is unreachable)");
  }

  @Test
  void fullConntrackDropsNewConnectionsOnly() {
    KernelHop h = hop(facts(true, "iptables-save-ovn-node1.txt", 100), EGRESS);
    assertThat(((KernelHopOutcome.Dropped) h.trace(toExt())).cause().text())
        .isEqualTo("conntrack table full on node1 (100/100)");
    assertThat(h.trace(toExt().withCtState(CtState.ESTABLISHED)))
        .isInstanceOf(KernelHopOutcome.Forwarded.class);
  }

  @Test
  void tooBigWithDfForTheEgressMtu() {
    KernelHopOutcome o =
        hop(facts(true, "iptables-save-ovn-node1.txt", 1), EGRESS)
            .trace(toExt().withSize(1600, true));
    assertThat(((KernelHopOutcome.Dropped) o).cause().text()).contains("1600 > 1500");
    assertThat(
            hop(facts(true, "iptables-save-ovn-node1.txt", 1), EGRESS)
                .trace(toExt().withSize(1600, false)))
        .isInstanceOf(KernelHopOutcome.Forwarded.class);
  }

  @Test
  void strictRpFilterDropsWhenTheReverseRouteLeavesElsewhere() {
    KernelFacts f = facts(true, "iptables-save-ovn-node1.txt", 1);
    KernelFacts strict =
        new KernelFacts(
            f.node(),
            f.rules(),
            f.addresses(),
            true,
            Map.of(),
            1,
            Map.of(),
            f.mtu(),
            f.conntrackCount(),
            f.conntrackMax(),
            f.ovsPorts(),
            f.v6());
    KernelPacket fromUplink =
        KernelPacket.of(
            Proto.TCP, ip("10.244.1.3"), 40000, ip("172.31.13.200"), 80, Optional.of("br-phy"));
    KernelHopOutcome o = hop(strict, EGRESS).trace(fromUplink);
    assertThat(((KernelHopOutcome.Dropped) o).cause())
        .isInstanceOf(KernelHopOutcome.Cause.RpFilter.class);
  }

  @Test
  void nodePortFromOutsideIsDnattedAndRoutedBackIntoOvs() {
    RouteAnswer toPod = IpRouteLookup.parse(Fixtures.read("route-get-ovn-pod-mark.json"));
    KernelHop h =
        new KernelHop(
            facts(true, "iptables-save-kube-proxy.txt", 1),
            (dst, from, iif, mark) -> dst.equals(ip("172.31.13.200")) ? EGRESS : toPod);
    KernelPacket p =
        KernelPacket.of(
                Proto.TCP,
                ip("172.31.13.200"),
                40000,
                ip("172.31.13.11"),
                30080,
                Optional.of("br-phy"))
            .withPreferredBackend(Optional.of(ip("10.244.2.3")));
    KernelHopOutcome o = h.trace(p);
    assertThat(o).isInstanceOf(KernelHopOutcome.BackToOvs.class);
    KernelHopOutcome.BackToOvs b = (KernelHopOutcome.BackToOvs) o;
    assertThat(b.device()).isEqualTo("ovn-k8s-mp0");
    assertThat(b.packet().dst()).isEqualTo(ip("10.244.2.3"));
    assertThat(b.packet().src()).isEqualTo(ip("10.244.1.2"));
  }
}
