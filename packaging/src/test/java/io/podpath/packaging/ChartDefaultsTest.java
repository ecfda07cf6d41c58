package io.podpath.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.podpath.tls.TlsFiles;
import io.podpath.tls.TlsMaterial;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What `helm template` gives with the default values. */
class ChartDefaultsTest {
  /**
   * The agent's flags as measured in docs/benchmarks.md (B4): a fixed 4 MiB young generation and an
   * old one that shrinks after a GC, C1 only, no hsperfdata, unpooled buffers in gRPC's shaded
   * Netty (the agent has no other Netty).
   */
  static final String LEAN_JVM =
      "-Xmx64m -Xms8m -Xmn4m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=20 -XX:+UseSerialGC"
          + " -Xss256k -XX:TieredStopAtLevel=1"
          + " -XX:ReservedCodeCacheSize=16m -XX:MaxMetaspaceSize=64m -XX:CICompilerCount=1"
          + " -XX:MaxDirectMemorySize=32m -XX:-UsePerfData -XX:+ExitOnOutOfMemoryError"
          + " -Dio.grpc.netty.shaded.io.netty.allocator.type=unpooled";

  static Chart chart;

  @BeforeAll
  static void render() {
    chart = Chart.defaults();
  }

  @Test
  void rendersExactlyTheseResources() {
    assertThat(chart.kindsAndNames())
        .containsExactlyInAnyOrder(
            "ServiceAccount/podpath-agent",
            "ServiceAccount/podpath-aggregator",
            "Secret/podpath-agent-tls",
            "Secret/podpath-aggregator-tls",
            "ClusterRole/podpath-aggregator",
            "ClusterRoleBinding/podpath-aggregator",
            "Role/podpath-user",
            "Service/podpath-agent",
            "Service/podpath-aggregator",
            "DaemonSet/podpath-agent",
            "Deployment/podpath-aggregator");
  }

  @Test
  void everySecurityContextFollowsTheRules() {
    SecurityContexts.assertAll(chart);
  }

  @Test
  void agentIsPrivilegedOnTheHostNetworkWithNoApiAccess() {
    JsonNode pod = chart.agent().at("/spec/template/spec");
    JsonNode c = Chart.container(chart.agent(), "agent");
    assertThat(pod.path("hostNetwork").asBoolean()).isTrue();
    assertThat(pod.path("hostPID").asBoolean()).isTrue();
    assertThat(pod.path("dnsPolicy").asText()).isEqualTo("ClusterFirstWithHostNet");
    assertThat(pod.path("automountServiceAccountToken").asBoolean(true)).isFalse();
    assertThat(chart.get("ServiceAccount", "podpath-agent").path("automountServiceAccountToken"))
        .isEqualTo(Yaml.tree("false"));
    assertThat(c.path("securityContext"))
        .isEqualTo(
            Yaml.tree(
                """
                runAsUser: 0
                runAsNonRoot: false
                readOnlyRootFilesystem: true
                privileged: true
                allowPrivilegeEscalation: true
                """));
    // No RBAC binds the agent's ServiceAccount.
    for (String kind : List.of("RoleBinding", "ClusterRoleBinding")) {
      for (JsonNode b : chart.all(kind)) {
        assertThat(b.path("subjects").toString()).doesNotContain("podpath-agent");
      }
    }
  }

  @Test
  void agentToleratesEveryTaintAndHasNoPriorityClassByDefault() {
    JsonNode pod = chart.agent().at("/spec/template/spec");
    assertThat(pod.path("tolerations")).isEqualTo(Yaml.tree("[{operator: Exists}]"));
    assertThat(pod.has("priorityClassName")).isFalse();
    assertThat(pod.path("nodeSelector")).isEqualTo(Yaml.tree("{kubernetes.io/os: linux}"));
  }

  @Test
  void agentMountsOvsOvnAndNetnsReadOnly() {
    JsonNode pod = chart.agent().at("/spec/template/spec");
    JsonNode c = Chart.container(chart.agent(), "agent");
    assertThat(c.path("volumeMounts"))
        .isEqualTo(
            Yaml.tree(
                """
                - {name: ovs-run, mountPath: /var/run/openvswitch, readOnly: true}
                - {name: ovn-run, mountPath: /var/run/ovn, readOnly: true}
                - {name: netns, mountPath: /var/run/netns, readOnly: true,
                   mountPropagation: HostToContainer}
                - {name: tls, mountPath: /etc/podpath/tls, readOnly: true}
                - {name: tmp, mountPath: /tmp}
                """));
    assertThat(pod.path("volumes"))
        .isEqualTo(
            Yaml.tree(
                """
                - {name: ovs-run, hostPath: {path: /var/run/openvswitch, type: Directory}}
                - {name: ovn-run, hostPath: {path: /var/run/ovn, type: DirectoryOrCreate}}
                - {name: netns, hostPath: {path: /var/run/netns, type: DirectoryOrCreate}}
                - {name: tls, secret: {secretName: podpath-agent-tls, defaultMode: 256}}
                - {name: tmp, emptyDir: {medium: Memory, sizeLimit: 16Mi}}
                """));
  }

  @Test
  void probeAllowBecomesOneAgentFlagEach() {
    Chart c = Chart.renderYaml("agent:\n  probeAllow: [10.96.0.0/16, 'fd00::/108']\n");
    assertThat(Chart.args(Chart.container(c.agent(), "agent")))
        .endsWith("--probe-allow=10.96.0.0/16", "--probe-allow=fd00::/108");
  }

  @Test
  void agentArgsEnvResourcesAndProbes() {
    JsonNode c = Chart.container(chart.agent(), "agent");
    assertThat(Chart.args(c))
        .containsExactly(
            "--node-name=$(NODE_NAME)",
            "--ovs-rundir=/var/run/openvswitch",
            "--listen=0.0.0.0:9443",
            "--metrics-listen=0.0.0.0:9444",
            "--tls-cert=/etc/podpath/tls/tls.crt",
            "--tls-key=/etc/podpath/tls/tls.key",
            "--tls-ca=/etc/podpath/tls/ca.crt",
            "--tls-client-name=podpath-aggregator",
            "--check-interval=5m");
    assertThat(Chart.env(c, "JAVA_TOOL_OPTIONS")).isEqualTo(LEAN_JVM);
    assertThat(Chart.env(c, "MALLOC_ARENA_MAX")).isEqualTo("2");
    assertThat(Chart.env(c, "XTABLES_LOCKFILE")).isEqualTo("/tmp/xtables.lock");
    assertThat(c.path("env").get(0))
        .isEqualTo(
            Yaml.tree("{name: NODE_NAME, valueFrom: {fieldRef: {fieldPath: spec.nodeName}}}"));
    assertThat(c.path("resources"))
        .isEqualTo(
            Yaml.tree("{requests: {cpu: 20m, memory: 96Mi}, limits: {cpu: 500m, memory: 160Mi}}"));
    assertThat(c.path("readinessProbe").path("tcpSocket")).isEqualTo(Yaml.tree("{port: metrics}"));
    assertThat(c.path("livenessProbe").path("tcpSocket")).isEqualTo(Yaml.tree("{port: metrics}"));
    assertThat(c.path("image").asText()).isEqualTo("ghcr.io/podpath/podpath-agent:0.1.0");
  }

  @Test
  void aggregatorRunsRestrictedWithProbesAndItsCliPortOnLoopback() {
    JsonNode d = chart.aggregator();
    JsonNode c = Chart.container(d, "aggregator");
    assertThat(d.at("/spec/replicas").asInt()).isEqualTo(1);
    assertThat(c.path("securityContext"))
        .isEqualTo(
            Yaml.tree(
                """
                runAsNonRoot: true
                runAsUser: 65532
                runAsGroup: 65532
                readOnlyRootFilesystem: true
                allowPrivilegeEscalation: false
                privileged: false
                capabilities: {drop: [ALL]}
                seccompProfile: {type: RuntimeDefault}
                """));
    assertThat(d.at("/spec/template/spec/securityContext"))
        .isEqualTo(
            Yaml.tree(
                """
                runAsNonRoot: true
                runAsUser: 65532
                runAsGroup: 65532
                fsGroup: 65532
                seccompProfile: {type: RuntimeDefault}
                """));
    assertThat(c.path("livenessProbe"))
        .isEqualTo(
            Yaml.tree(
                """
                httpGet: {path: /healthz, port: http}
                initialDelaySeconds: 10
                periodSeconds: 10
                failureThreshold: 3
                """));
    assertThat(c.path("readinessProbe").path("httpGet"))
        .isEqualTo(Yaml.tree("{path: /readyz, port: http}"));
    assertThat(c.path("resources"))
        .isEqualTo(
            Yaml.tree("{requests: {cpu: 50m, memory: 256Mi}, limits: {cpu: '1', memory: 384Mi}}"));
    assertThat(Chart.args(c))
        .containsExactly(
            "serve",
            "--listen=127.0.0.1:7400",
            "--http-listen=0.0.0.0:8080",
            "--tls-cert=/etc/podpath/tls/tls.crt",
            "--tls-key=/etc/podpath/tls/tls.key",
            "--tls-ca=/etc/podpath/tls/ca.crt",
            "--agent-server-name=podpath-agent",
            "--agent-namespace=podpath-system",
            "--agent-selector=app.kubernetes.io/name=podpath,"
                + "app.kubernetes.io/instance=podpath,app.kubernetes.io/component=agent",
            "--agent-port=9443",
            "--sweep-interval=5m",
            "--live-per-minute=30",
            "--alert-state=/var/lib/podpath/alert-state.json",
            "--node-events");
    assertThat(c.path("volumeMounts"))
        .isEqualTo(
            Yaml.tree(
                """
                - {name: tls, mountPath: /etc/podpath/tls, readOnly: true}
                - {name: tmp, mountPath: /tmp}
                - {name: state, mountPath: /var/lib/podpath}
                """));
    // The Service carries HTTP only: the CLI port is reachable through port-forward alone.
    assertThat(chart.get("Service", "podpath-aggregator").at("/spec/ports"))
        .isEqualTo(Yaml.tree("[{name: http, port: 8080, targetPort: http, protocol: TCP}]"));
  }

  @Test
  void rbacGrantsExactlyWhatTheAggregatorUses() {
    assertThat(chart.get("ClusterRole", "podpath-aggregator").path("rules"))
        .isEqualTo(
            Yaml.tree(
                """
                - apiGroups: [""]
                  resources: [pods, services, nodes]
                  verbs: [get, list, watch]
                - apiGroups: [discovery.k8s.io]
                  resources: [endpointslices]
                  verbs: [get, list, watch]
                - apiGroups: [networking.k8s.io]
                  resources: [networkpolicies]
                  verbs: [get, list, watch]
                - apiGroups: [""]
                  resources: [events]
                  verbs: [create, patch]
                - apiGroups: [""]
                  resources: [nodes/status]
                  verbs: [patch]
                """));
    assertThat(chart.get("ClusterRoleBinding", "podpath-aggregator").path("subjects"))
        .isEqualTo(
            Yaml.tree(
                "[{kind: ServiceAccount, name: podpath-aggregator, namespace: podpath-system}]"));
    // One replica: no leader election, so no Lease rights.
    assertThat(chart.all("Role"))
        .extracting(r -> r.at("/metadata/name").asText())
        .containsExactly("podpath-user");
    assertThat(chart.get("Role", "podpath-user").path("rules"))
        .isEqualTo(
            Yaml.tree(
                """
                - apiGroups: [""]
                  resources: [services]
                  resourceNames: [podpath-aggregator]
                  verbs: [get]
                - apiGroups: [""]
                  resources: [pods]
                  verbs: [list]
                - apiGroups: [""]
                  resources: [pods/portforward]
                  verbs: [create]
                """));
  }

  @Test
  void generatedCertificatesFormAWorkingMtlsPair(@TempDir Path dir) throws Exception {
    JsonNode agent = chart.get("Secret", "podpath-agent-tls");
    JsonNode aggregator = chart.get("Secret", "podpath-aggregator-tls");
    assertThat(agent.at("/metadata/annotations/helm.sh~1resource-policy").asText())
        .isEqualTo("keep");
    TlsMaterial agentTls = load(agent, dir.resolve("agent"));
    TlsMaterial aggregatorTls = load(aggregator, dir.resolve("aggregator"));

    X509Certificate ca = agentTls.trustedCas().get(0);
    assertThat(aggregatorTls.trustedCas()).containsExactly(ca);
    agentTls.chain().get(0).verify(ca.getPublicKey());
    aggregatorTls.chain().get(0).verify(ca.getPublicKey());
    assertThat(agentTls.chain().get(0).getSubjectAlternativeNames())
        .containsExactly(List.of(2, "podpath-agent"));
    assertThat(aggregatorTls.chain().get(0).getSubjectAlternativeNames())
        .containsExactly(List.of(2, "podpath-aggregator"));
    // The agent trusts the aggregator's certificate as a client, and vice versa as a server.
    agentTls
        .trustManager()
        .checkClientTrusted(aggregatorTls.chain().toArray(new X509Certificate[0]), "UNKNOWN");
    aggregatorTls
        .trustManager()
        .checkServerTrusted(agentTls.chain().toArray(new X509Certificate[0]), "UNKNOWN");
  }

  private static TlsMaterial load(JsonNode secret, Path dir) throws Exception {
    assertThat(secret.path("type").asText()).isEqualTo("kubernetes.io/tls");
    Files.createDirectories(dir);
    for (String key : List.of("tls.crt", "tls.key", "ca.crt")) {
      String b64 = secret.path("data").path(key).asText();
      assertThat(b64).as(key).isNotEmpty();
      Files.write(dir.resolve(key), Base64.getDecoder().decode(b64));
    }
    CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(dir.resolve("ca.crt"))));
    return TlsMaterial.load(
        new TlsFiles(dir.resolve("tls.crt"), dir.resolve("tls.key"), dir.resolve("ca.crt")));
  }
}
