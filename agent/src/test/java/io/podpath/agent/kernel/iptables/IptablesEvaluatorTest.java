package io.podpath.agent.kernel.iptables;

import static io.podpath.agent.kernel.Fixtures.ip;
import static org.assertj.core.api.Assertions.assertThat;

import io.podpath.agent.kernel.CtState;
import io.podpath.agent.kernel.Fixtures;
import io.podpath.agent.kernel.IpAddr;
import io.podpath.agent.kernel.KernelPacket;
import io.podpath.agent.kernel.Proto;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * The evaluator on rule sets recorded from real nodes and real iptables (hack/fixtures/kernel.sh).
 */
class IptablesEvaluatorTest {
  static final IpAddr NODE1 = ip("172.31.13.11");
  static final Set<IpAddr> LOCAL = Set.of(NODE1, ip("10.244.1.2"), ip("127.0.0.1"));

  static IptablesEvaluator eval(String fixture) {
    return new IptablesEvaluator(IptablesSave.parse(Fixtures.read(fixture)));
  }

  static HookEnv env(@Nullable String out, @Nullable String masq) {
    return new HookEnv(
        LOCAL,
        Optional.ofNullable(out),
        Optional.ofNullable(masq).map(Fixtures::ip),
        Optional.empty());
  }

  static KernelPacket tcp(String src, String dst, int dport, String in) {
    return KernelPacket.of(Proto.TCP, ip(src), 40000, ip(dst), dport, Optional.ofNullable(in));
  }

  @Test
  void ovsSandboxServiceDnatFollowsTheBackendTheCallerTracesTo() {
    KernelPacket p =
        tcp("10.244.1.3", "10.96.0.10", 80, "tun0")
            .withPreferredBackend(Optional.of(ip("10.244.2.3")));
    HookResult r =
        eval("iptables-save-ovs-node1.txt")
            .evaluate(Hook.PREROUTING, p, env(null, null), List.of());
    assertThat(r).isInstanceOf(HookResult.Passed.class);
    HookResult.Passed ok = (HookResult.Passed) r;
    assertThat(ok.packet().dst()).isEqualTo(ip("10.244.2.3"));
    assertThat(ok.nat()).singleElement().satisfies(n -> assertThat(n.kind()).isEqualTo("DNAT"));
    assertThat(ok.nat().get(0).rule().number()).isEqualTo(3);
  }

  @Test
  void ovsSandboxServiceDnatWithoutABackendIsInconclusiveNamingTheStatisticRule() {
    HookResult r =
        eval("iptables-save-ovs-node1.txt")
            .evaluate(
                Hook.PREROUTING,
                tcp("10.244.1.3", "10.96.0.10", 80, "tun0"),
                env(null, null),
                List.of());
    assertThat(r).isInstanceOf(HookResult.Inconclusive.class);
    HookResult.Inconclusive i = (HookResult.Inconclusive) r;
    assertThat(i.rule().where()).isEqualTo("nat PREROUTING #1");
    assertThat(i.why())
        .contains("random")
        .contains("-> 10.244.1.3:80")
        .contains("nat PREROUTING #3");
  }

  @Test
  void sandboxEgressIsMasqueradedToTheNodeAddress() {
    for (String f : List.of("iptables-save-ovs-node1.txt", "iptables-save-ovn-node1.txt")) {
      HookResult r =
          eval(f)
              .evaluate(
                  Hook.POSTROUTING,
                  tcp("10.244.1.3", "172.31.13.200", 80, "ovn-k8s-mp0"),
                  env("br-phy", "172.31.13.11"),
                  List.of());
      assertThat(r).as(f).isInstanceOf(HookResult.Passed.class);
      HookResult.Passed ok = (HookResult.Passed) r;
      assertThat(ok.packet().src()).isEqualTo(NODE1);
      assertThat(ok.nat().get(0).kind()).isEqualTo("MASQUERADE");
      assertThat(ok.hits()).extracting(h -> h.rule().where()).contains("nat POSTROUTING #1");
    }
  }

  @Test
  void podToPodIsNotMasqueraded() {
    HookResult r =
        eval("iptables-save-ovn-node1.txt")
            .evaluate(
                Hook.POSTROUTING,
                tcp("10.244.1.3", "10.244.2.3", 80, "ovn-k8s-mp0"),
                env("ovn-k8s-mp0", "10.244.1.2"),
                List.of());
    assertThat(((HookResult.Passed) r).nat()).isEmpty();
    assertThat(r.hits()).isEmpty();
  }

  @Test
  void kubeProxyNodePortMarksDnatsAndThenMasquerades() {
    IptablesEvaluator e = eval("iptables-save-kube-proxy.txt");
    KernelPacket p =
        tcp("172.31.13.200", "172.31.13.11", 30080, "br-phy")
            .withPreferredBackend(Optional.of(ip("10.244.3.3")));
    HookResult.Passed pre =
        (HookResult.Passed) e.evaluate(Hook.PREROUTING, p, env(null, null), List.of());
    assertThat(pre.packet().dst()).isEqualTo(ip("10.244.3.3"));
    assertThat(pre.packet().mark() & 0x4000).isEqualTo(0x4000);
    assertThat(pre.hits())
        .extracting(h -> h.rule().chain())
        .contains("KUBE-NODEPORTS", "KUBE-EXT-WEBHTTP", "KUBE-MARK-MASQ", "KUBE-SEP-WEB3");
    HookResult fwd =
        e.evaluate(Hook.FORWARD, pre.packet(), env("ovn-k8s-mp0", "10.244.1.2"), pre.nat());
    assertThat(fwd).isInstanceOf(HookResult.Passed.class);
    assertThat(fwd.hits()).extracting(h -> h.rule().chain()).contains("KUBE-FORWARD");
    HookResult.Passed post =
        (HookResult.Passed)
            e.evaluate(Hook.POSTROUTING, pre.packet(), env("ovn-k8s-mp0", "10.244.1.2"), pre.nat());
    assertThat(post.packet().src()).isEqualTo(ip("10.244.1.2"));
    assertThat(post.packet().mark() & 0x4000).isZero();
    assertThat(post.nat()).extracting(NatApplied::kind).containsExactly("DNAT", "MASQUERADE");
  }

  @Test
  void kubeProxyServiceWithoutEndpointsIsRejectedByItsRule() {
    HookResult r =
        eval("iptables-save-kube-proxy.txt")
            .evaluate(
                Hook.FORWARD,
                tcp("10.244.1.3", "10.96.0.30", 80, "ovn-k8s-mp0"),
                env("br-phy", null),
                List.of());
    assertThat(r).isInstanceOf(HookResult.Rejected.class);
    HookResult.Rejected j = (HookResult.Rejected) r;
    assertThat(j.rule().where()).isEqualTo("filter KUBE-SERVICES #1");
    assertThat(j.rule().text()).contains("has no endpoints");
    assertThat(j.with()).isEqualTo("icmp-port-unreachable");
  }

  @Test
  void anEstablishedConnectionSkipsTheNatTable() {
    KernelPacket p =
        tcp("10.244.1.3", "10.96.0.10", 80, "ovn-k8s-mp0").withCtState(CtState.ESTABLISHED);
    HookResult r =
        eval("iptables-save-kube-proxy.txt")
            .evaluate(Hook.PREROUTING, p, env(null, null), List.of());
    assertThat(((HookResult.Passed) r).packet()).isEqualTo(p);
  }

  @Test
  void ovnKubernetesForwardPolicyDropsWhatNoRuleAccepts() {
    IptablesEvaluator e = eval("iptables-save-ovn-kubernetes.txt");
    HookResult dropped =
        e.evaluate(
            Hook.FORWARD,
            tcp("172.31.13.200", "192.0.2.99", 80, "br-phy"),
            env("eth1", null),
            List.of());
    assertThat(dropped).isInstanceOf(HookResult.Dropped.class);
    assertThat(((HookResult.Dropped) dropped).rule().number()).isZero();
    assertThat(((HookResult.Dropped) dropped).rule().text()).isEqualTo(":FORWARD DROP (policy)");
    HookResult ok =
        e.evaluate(
            Hook.FORWARD,
            tcp("172.31.13.200", "10.244.2.3", 80, "br-phy"),
            env("ovn-k8s-mp0", null),
            List.of());
    assertThat(ok).isInstanceOf(HookResult.Passed.class);
    assertThat(ok.hits()).extracting(h -> h.rule().where()).containsExactly("filter FORWARD #1");
  }

  @Test
  void ovnKubernetesNodePortNeedsALocalDestination() {
    IptablesEvaluator e = eval("iptables-save-ovn-kubernetes.txt");
    HookResult.Passed local =
        (HookResult.Passed)
            e.evaluate(
                Hook.PREROUTING,
                tcp("172.31.13.200", "172.31.13.11", 30080, "br-phy"),
                env(null, null),
                List.of());
    assertThat(local.packet().dst()).isEqualTo(ip("10.96.0.10"));
    HookResult.Passed notLocal =
        (HookResult.Passed)
            e.evaluate(
                Hook.PREROUTING,
                tcp("172.31.13.200", "172.31.13.99", 30080, "br-phy"),
                env(null, null),
                List.of());
    assertThat(notLocal.nat()).isEmpty();
  }

  @Test
  void multiportRejectWithTcpReset() {
    HookResult r =
        eval("iptables-save-unevaluable.txt")
            .evaluate(
                Hook.FORWARD,
                tcp("10.244.1.3", "10.244.2.3", 8444, "eth0"),
                env("eth1", null),
                List.of());
    assertThat(((HookResult.Rejected) r).with()).isEqualTo("tcp-reset");
  }

  @Test
  void anUnevaluableMatchThatDecidesMakesTheHookInconclusive() {
    KernelPacket udp =
        KernelPacket.of(Proto.UDP, ip("10.244.1.3"), 5000, ip("8.8.8.8"), 53, Optional.of("eth0"));
    HookResult r =
        eval("iptables-save-unevaluable.txt")
            .evaluate(Hook.FORWARD, udp, env("eth1", null), List.of());
    assertThat(r).isInstanceOf(HookResult.Inconclusive.class);
    assertThat(((HookResult.Inconclusive) r).rule().where()).isEqualTo("filter FORWARD #2");
    assertThat(((HookResult.Inconclusive) r).why()).contains("depends on the traffic seen before");
  }

  @Test
  void anUnevaluableMatchThatCannotChangeTheFateIsOnlyNoted() {
    KernelPacket udp =
        KernelPacket.of(Proto.UDP, ip("10.244.1.3"), 5000, ip("8.8.8.8"), 53, Optional.of("mp0"))
            .withCtState(CtState.ESTABLISHED);
    HookResult r =
        eval("iptables-save-unevaluable.txt")
            .evaluate(Hook.FORWARD, udp, env("eth1", null), List.of());
    assertThat(r).isInstanceOf(HookResult.Passed.class);
    assertThat(r.hits()).anySatisfy(h -> assertThat(h.note()).contains("cannot evaluate"));
  }

  @Test
  void unmodelledTargetIsInconclusive() {
    HookResult r =
        eval("iptables-save-unevaluable.txt")
            .evaluate(
                Hook.FORWARD,
                tcp("10.244.9.3", "10.244.2.3", 80, "eth0"),
                env("eth1", null),
                List.of());
    assertThat(((HookResult.Inconclusive) r).why()).contains("NFQUEUE");
  }

  @Test
  void gotoReturnsToThePolicyOfTheBuiltinChain() {
    IptablesEvaluator e = eval("iptables-save-unevaluable.txt");
    KernelPacket ping =
        KernelPacket.of(Proto.ICMP, ip("10.244.1.3"), 0, ip("8.8.8.8"), 0, Optional.of("eth0"));
    HookResult ok = e.evaluate(Hook.FORWARD, ping, env("eth1", null), List.of());
    assertThat(ok).isInstanceOf(HookResult.Passed.class);
    assertThat(ok.hits())
        .extracting(h -> h.rule().where())
        .containsExactly("filter FORWARD #4", "filter PODPATH-GOTO #2");
    KernelPacket toPods =
        KernelPacket.of(Proto.ICMP, ip("10.244.1.3"), 0, ip("10.244.2.3"), 0, Optional.of("eth0"));
    HookResult dropped = e.evaluate(Hook.FORWARD, toPods, env("eth1", null), List.of());
    // RETURN from the goto'd chain skips the rest of FORWARD (LOG, conntrack): the policy decides
    assertThat(dropped.hits())
        .extracting(h -> h.rule().where())
        .containsExactly("filter FORWARD #4", "filter PODPATH-GOTO #1", "filter FORWARD #0");
  }

  @Test
  void logTargetContinues() {
    KernelPacket ping =
        KernelPacket.of(Proto.ICMP, ip("10.244.1.3"), 0, ip("8.8.8.8"), 0, Optional.of("mp0"));
    HookResult r =
        eval("iptables-save-unevaluable.txt")
            .evaluate(Hook.FORWARD, ping, env("eth1", null), List.of());
    assertThat(r).isInstanceOf(HookResult.Dropped.class);
    assertThat(r.hits())
        .extracting(h -> h.rule().target().getClass().getSimpleName())
        .containsExactly("Continue", "Drop");
  }
}
