package io.podpath.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The aggregator's CLI port: on the pod's loopback by default; exposed only with mTLS (a provided
 * Secret or a cert-manager certificate), never in plaintext, whatever the values say.
 */
class ChartCliExposureTest {
  private static JsonNode aggregator(Chart chart) {
    return Chart.container(chart.get("Deployment", "podpath-aggregator"), "aggregator");
  }

  @Test
  void theDefaultKeepsTheCliPortOnLoopbackAndOffTheService() {
    Chart chart = Chart.defaults();
    assertThat(Chart.args(aggregator(chart)))
        .contains("--listen=127.0.0.1:7400")
        .noneMatch(a -> a.startsWith("--cli-tls-"));
    assertThat(chart.get("Service", "podpath-aggregator").at("/spec/ports").toString())
        .doesNotContain("grpc-cli");
  }

  @Test
  void exposingWithAProvidedSecretServesMtlsOnThePodIp() {
    Chart chart =
        Chart.render(
            Map.of(
                "aggregator.exposeCli.enabled", true,
                "aggregator.exposeCli.secretName", "my-cli-tls",
                "aggregator.exposeCli.allowedClientName", "podpath-operator"));
    SecurityContexts.assertAll(chart);
    JsonNode c = aggregator(chart);
    assertThat(Chart.args(c))
        .contains(
            "--listen=0.0.0.0:7400",
            "--cli-tls-cert=/etc/podpath/cli-tls/tls.crt",
            "--cli-tls-key=/etc/podpath/cli-tls/tls.key",
            "--cli-tls-ca=/etc/podpath/cli-tls/ca.crt",
            "--cli-tls-client-name=podpath-operator")
        .doesNotContain("--listen=127.0.0.1:7400");
    assertThat(c.path("volumeMounts").toString())
        .contains(
            "{\"name\":\"cli-tls\",\"mountPath\":\"/etc/podpath/cli-tls\",\"readOnly\":true}");
    JsonNode spec = chart.get("Deployment", "podpath-aggregator").at("/spec/template/spec");
    assertThat(spec.path("volumes").toString()).contains("\"secretName\":\"my-cli-tls\"");
    assertThat(chart.get("Service", "podpath-aggregator").at("/spec/ports"))
        .contains(Yaml.tree("{name: grpc-cli, port: 7400, targetPort: grpc-cli, protocol: TCP}"));
  }

  @Test
  void exposingWithCertManagerIssuesTheServerCertificateFromTheSameIssuer() {
    Chart chart =
        Chart.render(Map.of("tls.mode", "certManager", "aggregator.exposeCli.enabled", true));
    JsonNode cert = chart.get("Certificate", "podpath-aggregator-cli").path("spec");
    assertThat(cert.path("secretName").asText()).isEqualTo("podpath-aggregator-cli-tls");
    assertThat(cert.path("dnsNames"))
        .isEqualTo(
            Yaml.tree(
                "[podpath-aggregator, podpath-aggregator.podpath-system,"
                    + " podpath-aggregator.podpath-system.svc]"));
    assertThat(cert.path("usages"))
        .isEqualTo(Yaml.tree("[digital signature, key encipherment, server auth]"));
    assertThat(cert.path("issuerRef"))
        .isEqualTo(chart.get("Certificate", "podpath-agent").at("/spec/issuerRef"));
    assertThat(
            chart
                .get("Deployment", "podpath-aggregator")
                .at("/spec/template/spec/volumes")
                .toString())
        .contains("\"secretName\":\"podpath-aggregator-cli-tls\"");
    assertThat(Chart.args(aggregator(chart))).contains("--listen=0.0.0.0:7400");
  }

  @Test
  void exposingWithoutACertificateSourceIsRefusedByTheSchema() {
    assertThatThrownBy(() -> Chart.render(Map.of("aggregator.exposeCli.enabled", true)))
        .hasMessageContaining("values don't meet the specifications of the schema");
  }

  @Test
  void extraArgsCannotRebindTheCliPortOrItsTls() {
    for (String arg : new String[] {"--listen=0.0.0.0:7400", "--cli-tls-ca=/x"}) {
      assertThatThrownBy(() -> Chart.render(Map.of("aggregator.extraArgs[0]", arg)))
          .as(arg)
          .hasMessageContaining("values don't meet the specifications of the schema")
          .hasMessageContaining("/aggregator/extraArgs/0");
    }
  }
}
