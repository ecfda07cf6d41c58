package io.podpath.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Set;

/** The rules every rendered workload must follow, whatever the values. */
final class SecurityContexts {
  private static final Set<String> WORKLOADS =
      Set.of("Deployment", "DaemonSet", "StatefulSet", "Job", "CronJob", "Pod");

  private SecurityContexts() {}

  static void assertAll(Chart chart) {
    int seen = 0;
    for (JsonNode doc : chart.all()) {
      if (!WORKLOADS.contains(doc.path("kind").asText())) {
        continue;
      }
      seen++;
      String name = doc.at("/metadata/name").asText();
      JsonNode pod = doc.at("/spec/template/spec");
      List<JsonNode> containers = new java.util.ArrayList<>();
      pod.path("containers").forEach(containers::add);
      pod.path("initContainers").forEach(containers::add);
      assertThat(containers).as(name + " containers").isNotEmpty();
      for (JsonNode c : containers) {
        String where = name + "/" + c.path("name").asText();
        JsonNode sc = c.path("securityContext");
        assertThat(sc.isObject()).as(where + " has a securityContext").isTrue();
        assertThat(sc.path("readOnlyRootFilesystem").asBoolean())
            .as(where + " readOnlyRootFilesystem")
            .isTrue();
        assertThat(c.path("resources").path("limits").path("memory").isMissingNode())
            .as(where + " memory limit")
            .isFalse();
        assertThat(Chart.args(c)).as(where + " args").noneMatch(a -> a.contains("plaintext"));
        if (name.endsWith("-agent")) {
          assertAgent(where, pod, c);
        } else {
          assertRestricted(where, pod, sc);
        }
      }
    }
    assertThat(seen).as("workloads rendered").isGreaterThanOrEqualTo(2);
  }

  /** Kubernetes "restricted" Pod Security Standard. */
  static void assertRestricted(String where, JsonNode pod, JsonNode sc) {
    assertThat(sc.path("runAsNonRoot").asBoolean()).as(where + " runAsNonRoot").isTrue();
    assertThat(sc.path("runAsUser").asInt()).as(where + " runAsUser").isGreaterThanOrEqualTo(1000);
    assertThat(sc.path("privileged").asBoolean(true)).as(where + " privileged").isFalse();
    assertThat(sc.path("allowPrivilegeEscalation").asBoolean(true))
        .as(where + " allowPrivilegeEscalation")
        .isFalse();
    assertThat(sc.at("/capabilities/drop")).as(where + " drops ALL").isEqualTo(Yaml.tree("[ALL]"));
    assertThat(sc.at("/capabilities/add").isMissingNode()).as(where + " adds none").isTrue();
    assertThat(sc.at("/seccompProfile/type").asText()).isEqualTo("RuntimeDefault");
    assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).isTrue();
    assertThat(pod.at("/securityContext/seccompProfile/type").asText()).isEqualTo("RuntimeDefault");
    assertThat(pod.path("hostNetwork").asBoolean(false)).as(where + " hostNetwork").isFalse();
    assertThat(pod.path("hostPID").asBoolean(false)).as(where + " hostPID").isFalse();
    for (JsonNode v : pod.path("volumes")) {
      assertThat(v.has("hostPath")).as(where + " hostPath volume " + v).isFalse();
    }
  }

  /** The agent's privileges are exactly the documented ones, and nothing is writable. */
  static void assertAgent(String where, JsonNode pod, JsonNode container) {
    JsonNode sc = container.path("securityContext");
    assertThat(pod.path("hostNetwork").asBoolean()).isTrue();
    assertThat(pod.path("hostPID").asBoolean()).isTrue();
    assertThat(pod.path("hostIPC").asBoolean(false)).as(where + " hostIPC").isFalse();
    assertThat(pod.path("automountServiceAccountToken").asBoolean(true)).isFalse();
    if (sc.path("privileged").asBoolean()) {
      assertThat(sc.path("capabilities").isMissingNode()).isTrue();
    } else {
      assertThat(sc.at("/capabilities/drop")).isEqualTo(Yaml.tree("[ALL]"));
      assertThat(sc.path("allowPrivilegeEscalation").asBoolean(true)).isFalse();
    }
    for (JsonNode m : container.path("volumeMounts")) {
      if (!m.path("name").asText().equals("tmp")) {
        assertThat(m.path("readOnly").asBoolean()).as(where + " mount " + m).isTrue();
      }
    }
  }
}
