package io.podpath.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Renders with non-default values; every variant also passes the security-context rules. */
class ChartVariantsTest {
  private static Chart render(Map<String, Object> sets) {
    Chart chart = Chart.render(sets);
    SecurityContexts.assertAll(chart);
    return chart;
  }

  @Test
  void certManagerWithItsOwnCaIssuer() {
    Chart chart = render(Map.of("tls.mode", "certManager"));
    assertThat(chart.all("Secret")).isEmpty();
    assertThat(chart.get("Issuer", "podpath-selfsigned").path("spec"))
        .isEqualTo(Yaml.tree("{selfSigned: {}}"));
    JsonNode ca = chart.get("Certificate", "podpath-ca").path("spec");
    assertThat(ca.path("isCA").asBoolean()).isTrue();
    assertThat(chart.get("Issuer", "podpath-ca").path("spec"))
        .isEqualTo(Yaml.tree("{ca: {secretName: podpath-ca}}"));
    JsonNode agent = chart.get("Certificate", "podpath-agent").path("spec");
    assertThat(agent.path("secretName").asText()).isEqualTo("podpath-agent-tls");
    assertThat(agent.path("dnsNames")).isEqualTo(Yaml.tree("[podpath-agent]"));
    assertThat(agent.path("usages"))
        .isEqualTo(Yaml.tree("[digital signature, key encipherment, server auth]"));
    assertThat(agent.path("privateKey"))
        .isEqualTo(
            Yaml.tree("{algorithm: ECDSA, size: 256, encoding: PKCS8, rotationPolicy: Always}"));
    assertThat(agent.path("issuerRef"))
        .isEqualTo(Yaml.tree("{name: podpath-ca, kind: Issuer, group: cert-manager.io}"));
    JsonNode aggregator = chart.get("Certificate", "podpath-aggregator").path("spec");
    assertThat(aggregator.path("usages"))
        .isEqualTo(Yaml.tree("[digital signature, key encipherment, client auth]"));
    assertThat(aggregator.path("secretName").asText()).isEqualTo("podpath-aggregator-tls");
    assertThat(aggregator.path("renewBefore").asText()).isEqualTo("360h");
    // Workloads mount the Secrets cert-manager writes.
    assertThat(secretOf(chart.agent())).isEqualTo("podpath-agent-tls");
    assertThat(secretOf(chart.aggregator())).isEqualTo("podpath-aggregator-tls");
  }

  @Test
  void certManagerWithAnExternalClusterIssuer() {
    Chart chart =
        render(
            Map.of(
                "tls.mode", "certManager",
                "tls.certManager.issuerRef.name", "corp-ca",
                "tls.certManager.issuerRef.kind", "ClusterIssuer"));
    assertThat(chart.all("Issuer")).isEmpty();
    assertThat(chart.get("Certificate", "podpath-agent").at("/spec/issuerRef"))
        .isEqualTo(Yaml.tree("{name: corp-ca, kind: ClusterIssuer, group: cert-manager.io}"));
  }

  @Test
  void userSuppliedSecrets() {
    Chart chart =
        render(
            Map.of(
                "tls.mode", "secret",
                "tls.secret.agent", "my-agent-certs",
                "tls.secret.aggregator", "my-aggregator-certs"));
    assertThat(chart.all("Secret")).isEmpty();
    assertThat(chart.all("Certificate")).isEmpty();
    assertThat(secretOf(chart.agent())).isEqualTo("my-agent-certs");
    assertThat(secretOf(chart.aggregator())).isEqualTo("my-aggregator-certs");
  }

  @Test
  void ovsUnderSlashRun() {
    Chart chart =
        render(Map.of("agent.ovsRunDir", "/run/openvswitch", "agent.ovnRunDir", "/run/ovn"));
    JsonNode c = Chart.container(chart.agent(), "agent");
    assertThat(Chart.args(c)).contains("--ovs-rundir=/run/openvswitch");
    assertThat(c.path("volumeMounts").get(0))
        .isEqualTo(Yaml.tree("{name: ovs-run, mountPath: /run/openvswitch, readOnly: true}"));
    assertThat(c.path("volumeMounts").get(1))
        .isEqualTo(Yaml.tree("{name: ovn-run, mountPath: /run/ovn, readOnly: true}"));
    assertThat(chart.agent().at("/spec/template/spec/volumes/0/hostPath"))
        .isEqualTo(Yaml.tree("{path: /run/openvswitch, type: Directory}"));
  }

  @Test
  void twoReplicasElectALeaderThroughALeaseInTheirNamespace() {
    Chart chart = render(Map.of("aggregator.replicas", 2));
    assertThat(chart.aggregator().at("/spec/replicas").asInt()).isEqualTo(2);
    assertThat(Chart.args(Chart.container(chart.aggregator(), "aggregator")))
        .contains("--leader-elect-lease=podpath-system/podpath-aggregator");
    JsonNode role = chart.get("Role", "podpath-aggregator-leader-election");
    assertThat(role.at("/metadata/namespace").asText()).isEqualTo("podpath-system");
    assertThat(role.path("rules"))
        .isEqualTo(
            Yaml.tree(
                """
                - apiGroups: [coordination.k8s.io]
                  resources: [leases]
                  verbs: [get, create, update]
                """));
    JsonNode binding = chart.get("RoleBinding", "podpath-aggregator-leader-election");
    assertThat(binding.path("subjects"))
        .isEqualTo(
            Yaml.tree(
                "[{kind: ServiceAccount, name: podpath-aggregator, namespace: podpath-system}]"));
    assertThat(binding.at("/roleRef/kind").asText()).isEqualTo("Role");
  }

  @Test
  void monitoringResources() {
    Chart chart =
        render(
            Map.of(
                "monitoring.serviceMonitor.enabled", true,
                "monitoring.serviceMonitor.labels.release", "kube-prometheus",
                "monitoring.prometheusRule.enabled", true));
    JsonNode agentSm = chart.get("ServiceMonitor", "podpath-agent");
    assertThat(agentSm.at("/metadata/labels/release").asText()).isEqualTo("kube-prometheus");
    assertThat(agentSm.at("/spec/endpoints/0/port").asText()).isEqualTo("metrics");
    assertThat(agentSm.at("/spec/selector/matchLabels/app.kubernetes.io~1component").asText())
        .isEqualTo("agent");
    assertThat(chart.get("ServiceMonitor", "podpath-aggregator").at("/spec/endpoints/0"))
        .isEqualTo(Yaml.tree("{port: http, path: /metrics, interval: 30s}"));
    JsonNode rules = chart.get("PrometheusRule", "podpath").at("/spec/groups/0/rules");
    assertThat(rules.findValuesAsText("alert"))
        .containsExactly("PodpathAgentDown", "PodpathAggregatorDown");
    assertThat(rules.get(0).path("expr").asText())
        .isEqualTo("up{namespace=\"podpath-system\", service=\"podpath-agent\"} == 0");
    // The headless agent Service the ServiceMonitor selects exposes metrics only.
    assertThat(chart.get("Service", "podpath-agent").at("/spec/ports"))
        .isEqualTo(Yaml.tree("[{name: metrics, port: 9444, targetPort: metrics, protocol: TCP}]"));
  }

  @Test
  void alertSinksAndNoNodeEvents() {
    Chart chart =
        render(
            Map.of(
                "aggregator.alerting.nodeEvents", false,
                "aggregator.alerting.alertmanagerUrl", "http://alertmanager.monitoring:9093",
                "aggregator.alerting.webhookUrl", "https://hooks.example.com/podpath",
                "aggregator.alerting.webhookSecretName", "podpath-webhook"));
    JsonNode c = Chart.container(chart.aggregator(), "aggregator");
    assertThat(Chart.args(c))
        .doesNotContain("--node-events")
        .contains(
            "--alertmanager-url=http://alertmanager.monitoring:9093",
            "--webhook-url=https://hooks.example.com/podpath",
            "--webhook-secret-file=/etc/podpath/webhook/secret");
    assertThat(c.path("volumeMounts").toString())
        .contains(
            "{\"name\":\"webhook\",\"mountPath\":\"/etc/podpath/webhook\",\"readOnly\":true}");
    assertThat(chart.aggregator().at("/spec/template/spec/volumes").toString())
        .contains("\"secretName\":\"podpath-webhook\"");
    // No Events are written, so the ClusterRole does not allow writing them.
    assertThat(chart.get("ClusterRole", "podpath-aggregator").path("rules").toString())
        .doesNotContain("events");
  }

  @Test
  void priorityClassesAndNoUserRole() {
    Chart chart =
        render(
            Map.of(
                "agent.priorityClassName", "system-node-critical",
                "aggregator.priorityClassName", "system-cluster-critical",
                "rbac.createUserRole", false));
    assertThat(chart.agent().at("/spec/template/spec/priorityClassName").asText())
        .isEqualTo("system-node-critical");
    assertThat(chart.aggregator().at("/spec/template/spec/priorityClassName").asText())
        .isEqualTo("system-cluster-critical");
    assertThat(chart.all("Role")).isEmpty();
  }

  @Test
  void unprivilegedAgentGetsExactlyItsCapabilities() {
    Chart chart = render(Map.of("agent.privileged", false));
    assertThat(Chart.container(chart.agent(), "agent").path("securityContext"))
        .isEqualTo(
            Yaml.tree(
                """
                runAsUser: 0
                runAsNonRoot: false
                readOnlyRootFilesystem: true
                privileged: false
                allowPrivilegeEscalation: false
                capabilities:
                  drop: [ALL]
                  add: [SYS_ADMIN, NET_ADMIN, NET_RAW, SYS_PTRACE]
                seccompProfile: {type: RuntimeDefault}
                """));
  }

  @Test
  void imageDigestsAndCustomResources() {
    String digest = "sha256:" + "a".repeat(64);
    Chart chart =
        render(
            Map.of(
                "agent.image.digest", digest,
                "aggregator.image.tag", "1.2.3",
                "agent.resources.limits.memory", "256Mi",
                "aggregator.extraArgs[0]", "--alertmanager-url=http://am:9093"));
    assertThat(Chart.container(chart.agent(), "agent").path("image").asText())
        .isEqualTo("ghcr.io/podpath/podpath-agent@" + digest);
    JsonNode aggregator = Chart.container(chart.aggregator(), "aggregator");
    assertThat(aggregator.path("image").asText()).isEqualTo("ghcr.io/podpath/podpath:1.2.3");
    assertThat(Chart.args(aggregator)).endsWith("--alertmanager-url=http://am:9093");
    assertThat(Chart.container(chart.agent(), "agent").at("/resources/limits/memory").asText())
        .isEqualTo("256Mi");
  }

  @Test
  void generatedCertificatesSurviveAnUpgrade() {
    Chart first = Chart.defaults();
    FakeApiServer api = FakeApiServer.get();
    List<Secret> created =
        List.of(
            toSecret(first.get("Secret", "podpath-agent-tls")),
            toSecret(first.get("Secret", "podpath-aggregator-tls")));
    try {
      created.forEach(
          s -> api.client().secrets().inNamespace(Chart.NAMESPACE).resource(s).create());
      Chart upgrade = Chart.defaults();
      for (String name : List.of("podpath-agent-tls", "podpath-aggregator-tls")) {
        assertThat(upgrade.get("Secret", name).path("data"))
            .as(name + " kept on upgrade")
            .isEqualTo(first.get("Secret", name).path("data"));
      }
    } finally {
      created.forEach(
          s -> api.client().secrets().inNamespace(Chart.NAMESPACE).resource(s).delete());
    }
    // Without them (a fresh install) new ones are generated.
    assertThat(Chart.defaults().get("Secret", "podpath-agent-tls").path("data"))
        .isNotEqualTo(first.get("Secret", "podpath-agent-tls").path("data"));
  }

  private static Secret toSecret(JsonNode rendered) {
    Map<String, String> data = new HashMap<>();
    rendered.path("data").properties().forEach(e -> data.put(e.getKey(), e.getValue().asText()));
    return new SecretBuilder()
        .withNewMetadata()
        .withName(rendered.at("/metadata/name").asText())
        .withNamespace(Chart.NAMESPACE)
        .endMetadata()
        .withType("kubernetes.io/tls")
        .withData(data)
        .build();
  }

  private static String secretOf(JsonNode workload) {
    for (JsonNode v : workload.at("/spec/template/spec/volumes")) {
      if (v.path("name").asText().equals("tls")) {
        return v.at("/secret/secretName").asText();
      }
    }
    throw new AssertionError("no tls volume");
  }
}
