package io.podpath.agent.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.podpath.agent.checks.parse.DpctlConntrack;
import io.podpath.agent.checks.parse.KubeProxyRules;
import io.podpath.agent.checks.parse.ParseException;
import io.podpath.agent.checks.parse.PingOutput;
import io.podpath.agent.errors.AgentException;
import io.podpath.agent.ip.IpJson;
import org.junit.jupiter.api.Test;

/**
 * Inputs the fuzzers found crashing a parser (fixtures/fuzz-regressions/, written by hand from the
 * failing jqwik sample): each now gives the parser's own answer.
 */
class ParserRegressionTest {
  static String fixture(String name) {
    return Mutants.read(Mutants.FIXTURES.resolve("fuzz-regressions").resolve(name));
  }

  @Test
  void ctStatsTotalBeyondALongIsAbsentNotNumberFormatException() {
    assertThat(DpctlConntrack.total(fixture("dpctl-ct-stats-show-huge-total.txt"))).isEmpty();
  }

  @Test
  void pingMtuBeyondAnIntIsParseException() {
    assertThatThrownBy(() -> PingOutput.parse(fixture("ping-huge-mtu.txt")))
        .isInstanceOf(ParseException.class)
        .hasMessageContaining("ping");
  }

  @Test
  void iptablesDportThatIsNotAPortIsSkipped() {
    assertThat(KubeProxyRules.iptablesPortals(fixture("iptables-save-huge-dport.txt"))).isEmpty();
    assertThat(KubeProxyRules.hasKubeServicesChain(fixture("iptables-save-huge-dport.txt")))
        .isTrue();
  }

  @Test
  void ipvsPortThatIsNotAPortIsSkipped() {
    assertThat(KubeProxyRules.ipvsPortals(fixture("ipvsadm-huge-port.txt"))).isEmpty();
  }

  @Test
  void ipJsonWithWrongTypesGivesTypedErrorsOrValues() {
    String json = fixture("ip-addr-wrong-types.json");
    try {
      IpJson.links(json);
    } catch (AgentException expected) {
      // typed: fine
    }
  }
}
