package io.podpath.agent.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The tunnel's MTU budget: what Geneve (with OVN's 8-byte option) and VXLAN add over an IPv4 or
 * IPv6 underlay, the words of the arithmetic, and the drop it makes. The sandbox comparison with
 * real packets is {@code TunnelMtuSandboxTest}.
 */
class TunnelSizeTest {
  static Outcome.Tunnel tunnel(String type, String remote, List<GeneveOption> options) {
    return new Outcome.Tunnel(
        "ovn-node2-0", 3, type, remote, "172.31.21.11", 2, options, Optional.empty(), "");
  }

  static final GeneveOption OVN =
      new GeneveOption(GeneveOption.OVN_CLASS, GeneveOption.OVN_TYPE, new byte[] {0, 1, 0, 2});

  static Outcome leaving(Outcome.Tunnel t) {
    return new Outcome(
        Outcome.Kind.TUNNEL,
        "leaves by geneve",
        t.portName(),
        t.ofport(),
        Optional.empty(),
        Optional.of(t),
        Optional.empty(),
        "",
        List.of());
  }

  @Test
  void overheadOfEachEncapsulation() {
    assertThat(TunnelSize.overhead(tunnel("geneve", "172.31.21.12", List.of(OVN)))).hasValue(58);
    assertThat(TunnelSize.overhead(tunnel("geneve", "172.31.21.12", List.of()))).hasValue(50);
    assertThat(TunnelSize.overhead(tunnel("vxlan", "172.31.21.12", List.of()))).hasValue(50);
    assertThat(TunnelSize.overhead(tunnel("geneve", "fd00::12", List.of(OVN)))).hasValue(78);
    assertThat(TunnelSize.overhead(tunnel("gre", "172.31.21.12", List.of()))).isEmpty();
  }

  @Test
  void overTheBudgetIsDroppedNamingTheArithmeticWhateverTheInnerDf() {
    Outcome.Tunnel t = tunnel("geneve", "172.31.21.12", List.of(OVN));
    SizeCheck c = TunnelSize.check("node1", t, 58, "br-phy", 1500, 1472);
    assertThat(c.fits()).isFalse();
    assertThat(c.text()).isEqualTo("1472 + 58 Geneve > 1500 on node1 br-phy");
    Outcome o = TunnelSize.outcome(leaving(t), c, true, new ArrayList<>());
    assertThat(o.kind()).isEqualTo(Outcome.Kind.DROPPED);
    assertThat(o.summary()).startsWith("1472 + 58 Geneve > 1500 on node1 br-phy");
    assertThat(o.drop().orElseThrow().causeCode()).isEqualTo("too-big");
  }

  @Test
  void exactlyTheBudgetFits() {
    Outcome.Tunnel t = tunnel("geneve", "172.31.21.12", List.of(OVN));
    SizeCheck c = TunnelSize.check("node1", t, 58, "br-phy", 1500, 1442);
    assertThat(c.fits()).isTrue();
    assertThat(c.text()).isEqualTo("1442 + 58 Geneve <= 1500 on node1 br-phy");
    assertThat(TunnelSize.outcome(leaving(t), c, true, new ArrayList<>())).isEqualTo(leaving(t));
  }

  @Test
  void aTunnelWithoutOuterDfFragmentsWithANote() {
    Outcome.Tunnel t = tunnel("vxlan", "172.31.21.12", List.of());
    SizeCheck c = TunnelSize.check("node1", t, 50, "eth1", 1500, 1472);
    List<TraceFinding> findings = new ArrayList<>();
    assertThat(TunnelSize.outcome(leaving(t), c, false, findings)).isEqualTo(leaving(t));
    assertThat(findings).extracting(TraceFinding::code).containsExactly("tunnel-fragments");
  }

  @Test
  void theControllerActionIsSaidInWordsNamingTheFlowNotRawDatapathText() {
    String words =
        OutcomeClassifier.controllerWords(
            "userspace(pid=0,controller(reason=1,dont_send=1,continuation=0,recirc_id=43,"
                + "rule_cookie=0xa15926bc,controller_id=0,max_len=65535))");
    assertThat(words)
        .startsWith("sent to the OpenFlow controller by the flow with cookie 0xa15926bc")
        .doesNotContain("userspace(");
  }
}
