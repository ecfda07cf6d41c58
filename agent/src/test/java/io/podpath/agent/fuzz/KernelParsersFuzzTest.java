package io.podpath.agent.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.podpath.agent.kernel.CtState;
import io.podpath.agent.kernel.IpAddr;
import io.podpath.agent.kernel.KernelPacket;
import io.podpath.agent.kernel.KernelParseException;
import io.podpath.agent.kernel.Proto;
import io.podpath.agent.kernel.iptables.Hook;
import io.podpath.agent.kernel.iptables.HookEnv;
import io.podpath.agent.kernel.iptables.HookResult;
import io.podpath.agent.kernel.iptables.IptablesEvaluator;
import io.podpath.agent.kernel.iptables.IptablesSave;
import io.podpath.agent.kernel.iptables.Ruleset;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The iptables-save parser and the evaluator on mutations of the rule sets recorded by
 * hack/fixtures/kernel.sh: the parser returns or throws {@link KernelParseException}; whatever it
 * returns, every hook evaluates to a result for both a forwarded and a local packet.
 */
class KernelParsersFuzzTest {
  static final List<Class<?>> KERNEL = List.of(KernelParseException.class);

  @Provide
  Arbitrary<String> rulesets() {
    return Mutants.of(Mutants.seeds("kernel", "iptables-save-*.txt"));
  }

  @Property
  void iptablesSaveParsesOrFailsTypedAndEveryHookEvaluates(@ForAll("rulesets") String input)
      throws Throwable {
    Ruleset r = AgentParsersFuzzTest.outcome(input, IptablesSave::parse, KERNEL);
    if (r == null) {
      return;
    }
    assertThat(r.ruleCount()).isLessThanOrEqualTo(input.length());
    IptablesEvaluator e = new IptablesEvaluator(r);
    IpAddr a = IpAddr.parse("t", "10.244.1.3");
    IpAddr b = IpAddr.parse("t", "172.31.13.11");
    HookEnv env = new HookEnv(Set.of(b), Optional.of("br-phy"), Optional.of(b), Optional.of(b));
    for (KernelPacket p :
        List.of(
            KernelPacket.of(Proto.TCP, a, 40000, b, 30080, Optional.of("br-phy")),
            KernelPacket.of(Proto.UDP, b, 5353, a, 53, Optional.empty())
                .withCtState(CtState.ESTABLISHED))) {
      for (Hook h : Hook.values()) {
        HookResult res = e.evaluate(h, p, env, List.of());
        assertThat(res).isNotNull();
        assertThat(res.hits()).isNotNull();
      }
    }
  }
}
