package io.podpath.agent.kernel.iptables;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.podpath.agent.kernel.Fixtures;
import io.podpath.agent.kernel.KernelParseException;
import org.junit.jupiter.api.Test;

class IptablesSaveTest {
  @Test
  void parsesKubeProxyRulesWithQuotedComments() {
    Ruleset r = IptablesSave.parse(Fixtures.read("iptables-save-kube-proxy.txt"));
    assertThat(r.tables().keySet()).containsExactlyInAnyOrder("filter", "nat");
    Chain svc = r.chain("nat", "KUBE-SVC-WEBHTTP").orElseThrow();
    assertThat(svc.builtin()).isFalse();
    assertThat(svc.rules()).hasSize(4);
    assertThat(svc.rules().get(1).matches())
        .anySatisfy(
            m -> assertThat(m).isEqualTo(new Match.Comment("default/web:http -> 10.244.1.3:80")))
        .anySatisfy(m -> assertThat(m).isInstanceOf(Match.Unevaluable.class));
    assertThat(svc.rules().get(1).target()).isEqualTo(new Target.Jump("KUBE-SEP-WEB1"));
    assertThat(r.chain("nat", "KUBE-MARK-MASQ").orElseThrow().rules().get(0).target())
        .isEqualTo(new Target.SetMark(0x4000, 0x4000));
    assertThat(r.chain("filter", "FORWARD").orElseThrow().policy()).contains("ACCEPT");
  }

  @Test
  void parsesEveryRecordedRuleSet() {
    for (String f :
        new String[] {
          "iptables-save-ovn-node1.txt", "iptables-save-ovs-node1.txt",
          "iptables-save-ovn-kubernetes.txt", "iptables-save-unevaluable.txt"
        }) {
      assertThat(IptablesSave.parse(Fixtures.read(f)).ruleCount()).as(f).isPositive();
    }
  }

  @Test
  void errorsNameTheLine() {
    assertThatThrownBy(
            () ->
                IptablesSave.parse(
                    "*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -s 1.2.3/8 -j DROP\nCOMMIT\n"))
        .isInstanceOf(KernelParseException.class)
        .hasMessageContaining("line 3");
    assertThatThrownBy(() -> IptablesSave.parse("*filter\n-A NOPE -j DROP\nCOMMIT\n"))
        .hasMessageContaining("undeclared chain NOPE");
    assertThatThrownBy(() -> IptablesSave.parse("*filter\n:INPUT ACCEPT [0:0]\n"))
        .hasMessageContaining("no COMMIT");
  }
}
