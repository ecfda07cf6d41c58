package io.podpath.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The recorded manifest of a real sandbox is a standard List that YAML parsers read as Kubernetes
 * does.
 */
class ManifestFixtureTest {
  private static final String FIXTURE = "/fixtures/sandbox/cluster.yaml";

  @Test
  void recordedManifestHasEveryKindWithOvnKubernetesAnnotations() throws Exception {
    JsonNode list;
    try (InputStream in = getClass().getResourceAsStream(FIXTURE)) {
      assertThat(in)
          .as("%s missing: re-record with hack/record-fixtures --only sandbox", FIXTURE)
          .isNotNull();
      list = new ObjectMapper(new YAMLFactory()).readTree(in);
    }
    List<String> kinds = new ArrayList<>();
    list.path("items").forEach(i -> kinds.add(i.path("kind").asText()));
    assertThat(kinds)
        .as("re-record with hack/record-fixtures --only sandbox")
        .containsSubsequence("Node", "Pod", "Service", "EndpointSlice", "NetworkPolicy");
    JsonNode node1 = list.path("items").get(0);
    assertThat(node1.at("/metadata/annotations/k8s.ovn.org~1node-subnets").asText())
        .isEqualTo("{\"default\":[\"10.244.1.0/24\"]}");
    JsonNode policy = list.path("items").get(kinds.indexOf("NetworkPolicy"));
    assertThat(policy.at("/spec/podSelector/matchLabels/podpath.io~1name").asText())
        .isEqualTo("web-2");
    assertThat(policy.at("/spec/policyTypes/0").asText()).isEqualTo("Ingress");
  }
}
