package io.podpath.packaging;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** values.schema.json refuses bad values, and the error names the field. */
class ChartSchemaTest {
  static Stream<Arguments> badValues() {
    return Stream.of(
        // TLS cannot be switched off by any value.
        Arguments.of("tls.mode", "none", "/tls/mode"),
        Arguments.of("tls.mode", "disabled", "/tls/mode"),
        Arguments.of("agent.plaintext", true, "plaintext"),
        // The documented privileges cannot be dropped silently into a broken agent.
        Arguments.of("agent.hostNetwork", false, "/agent/hostNetwork"),
        Arguments.of("agent.hostPID", false, "/agent/hostPID"),
        Arguments.of("agent.capabilities[0]", "SYS_MODULE", "/agent/capabilities/0"),
        // Paths, ports, names.
        Arguments.of("agent.ovsRunDir", "run/openvswitch", "/agent/ovsRunDir"),
        Arguments.of("agent.netnsDir", "/var/run/netns/", "/agent/netnsDir"),
        // Only remotes the agent can open (it has no OVS client certificate for ssl:).
        Arguments.of("agent.ovnSbRemote", "ssl:10.0.0.1:6642", "/agent/ovnSbRemote"),
        Arguments.of("agent.ovnSbRemote", "tcp:ovn-sb:6642", "/agent/ovnSbRemote"),
        Arguments.of(
            "agent.ovnNbRemote", "tcp:10.0.0.1:6641,tcp:10.0.0.2:6641", "/agent/ovnNbRemote"),
        Arguments.of("agent.port", 70000, "/agent/port"),
        Arguments.of("agent.image.digest", "sha256:abc", "/agent/image/digest"),
        Arguments.of("agent.image.pullPolicy", "Sometimes", "/agent/image/pullPolicy"),
        Arguments.of("agent.resources.limits.memory", "lots", "/agent/resources/limits/memory"),
        Arguments.of("agent.unknownKey", "x", "unknownKey"),
        // The aggregator stays non-root and its replicas bounded.
        Arguments.of("aggregator.runAsUser", 0, "/aggregator/runAsUser"),
        Arguments.of("aggregator.replicas", 0, "/aggregator/replicas"),
        Arguments.of("aggregator.sweepInterval", "five minutes", "/aggregator/sweepInterval"),
        Arguments.of("aggregator.sweepInterval", "1h30m", "/aggregator/sweepInterval"),
        Arguments.of("aggregator.livePerMinute", -1, "/aggregator/livePerMinute"),
        Arguments.of("aggregator.livePerMinute", "lots", "/aggregator/livePerMinute"),
        Arguments.of(
            "aggregator.alerting.alertmanagerUrl",
            "ftp://am",
            "/aggregator/alerting/alertmanagerUrl"),
        Arguments.of("aggregator.extraArgs[0]", "serve; rm -rf /", "/aggregator/extraArgs/0"),
        Arguments.of("tls.agentServerName", "Not A Name", "/tls/agentServerName"),
        Arguments.of("tls.certManager.issuerRef.kind", "Vault", "/tls/certManager/issuerRef/kind"),
        Arguments.of(
            "monitoring.serviceMonitor.enabled", "yes", "/monitoring/serviceMonitor/enabled"));
  }

  @ParameterizedTest(name = "{0}={1}")
  @MethodSource("badValues")
  void refusesBadValuesNamingTheField(String key, Object value, String field) {
    assertThatThrownBy(() -> Chart.render(Map.of(key, value)))
        .hasMessageContaining("values don't meet the specifications of the schema")
        .hasMessageContaining(field);
  }

  @org.junit.jupiter.api.Test
  void secretModeNeedsBothSecretNames() {
    assertThatThrownBy(() -> Chart.render(Map.of("tls.mode", "secret", "tls.secret.agent", "a")))
        .hasMessageContaining("/tls/secret")
        .hasMessageContaining("aggregator");
  }
}
