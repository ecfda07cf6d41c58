package io.podpath.aggregator.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.podpath.aggregator.inventory.ClusterIndex;
import io.podpath.aggregator.inventory.ManifestException;
import io.podpath.aggregator.inventory.ManifestReader;
import io.podpath.testkit.HostileInput;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Snapshot manifests that are malformed, of the wrong shape or hostile: a ManifestException (never
 * anything else) whose message names the item and the field, within a bounded time; the reader
 * still parses the recorded sandbox manifest right after.
 */
class ManifestBadInputTest {
  record Case(String name, String text, String names) {
    @Override
    public String toString() {
      return name + " → names " + HostileInput.show(names);
    }
  }

  static String list(String... items) {
    StringBuilder b = new StringBuilder("apiVersion: v1\nkind: List\nitems:\n");
    for (String i : items) {
      b.append(i.indent(2).replaceFirst("^  ", "- "));
    }
    return b.toString();
  }

  static String pod(String extra) {
    return "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web-1\n  namespace: default\n" + extra;
  }

  static String service(String spec) {
    return "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: default\nspec:\n"
        + spec;
  }

  static String node(String annotations) {
    return "apiVersion: v1\nkind: Node\nmetadata:\n  name: node1\n  annotations:\n" + annotations;
  }

  static Stream<Case> cases() {
    List<Case> c = new ArrayList<>();
    c.add(new Case("empty", "", "empty manifest"));
    c.add(new Case("only comments", "# nothing\n", "empty manifest"));
    c.add(new Case("unclosed JSON", "{\"kind\": \"List\", \"items\": [", "not valid YAML or JSON"));
    c.add(new Case("unclosed YAML flow", "kind: List\nitems: [\n", "not valid YAML or JSON"));
    c.add(
        new Case(
            "tab indentation", "kind: List\nitems:\n\t- kind: Pod\n", "not valid YAML or JSON"));
    c.add(new Case("duplicate colon garbage", "kind: : List\n", "not valid YAML or JSON"));
    c.add(new Case("top-level sequence", "- kind: Pod\n", "metadata.name"));
    c.add(new Case("top-level scalar", "hello\n", "manifest: expected an object"));
    c.add(new Case("items a number", "kind: List\nitems: 5\n", "items: expected a list"));
    c.add(new Case("items a map", "kind: List\nitems: {a: b}\n", "items: expected a list"));
    c.add(new Case("item a number", "kind: List\nitems: [5]\n", "items[0]: expected an object"));
    c.add(
        new Case(
            "item a string", "kind: List\nitems: [\"Pod\"]\n", "items[0]: expected an object"));
    c.add(new Case("item without kind", "kind: List\nitems: [{}]\n", "items[0]: kind: missing"));
    c.add(new Case("second document broken", list(pod("")) + "---\n5\n", "document 2"));
    // Pods
    c.add(
        new Case(
            "pod without name",
            list("apiVersion: v1\nkind: Pod\nmetadata:\n  namespace: default\n"),
            "metadata.name"));
    c.add(new Case("pod metadata a number", list("kind: Pod\nmetadata: 5\n"), "metadata"));
    c.add(
        new Case(
            "pod name a map", list("kind: Pod\nmetadata:\n  name: {a: b}\n"), "metadata.name"));
    for (String bad : List.of("10.0.0.256", "$(id)", "web.local", "1.2.3", "10.0.0.1/24")) {
      c.add(
          new Case(
              "pod podIP " + bad,
              list(pod("status:\n  podIP: \"" + bad + "\"\n")),
              "status.podIP"));
      c.add(
          new Case(
              "pod podIPs[0] " + bad,
              list(pod("status:\n  podIPs:\n  - ip: \"" + bad + "\"\n")),
              "status.podIPs[0].ip"));
      c.add(
          new Case(
              "pod hostIP " + bad,
              list(pod("status:\n  hostIP: \"" + bad + "\"\n")),
              "status.hostIP"));
    }
    c.add(new Case("pod podIP a list", list(pod("status:\n  podIP: [1]\n")), "status.podIP"));
    c.add(new Case("pod podIPs a string", list(pod("status:\n  podIPs: x\n")), "status.podIPs"));
    c.add(
        new Case(
            "pod labels a list",
            list("kind: Pod\nmetadata:\n  name: a\n  labels: [a]\n"),
            "metadata.labels"));
    c.add(
        new Case(
            "pod label value a map",
            list("kind: Pod\nmetadata:\n  name: a\n  labels:\n    app: {x: y}\n"),
            "metadata.labels.app"));
    c.add(
        new Case("pod nodeName a map", list(pod("spec:\n  nodeName: {a: b}\n")), "spec.nodeName"));
    c.add(
        new Case(
            "pod hostNetwork maybe",
            list(pod("spec:\n  hostNetwork: maybe\n")),
            "spec.hostNetwork"));
    c.add(new Case("pod status a string", list(pod("status: running\n")), "status"));
    // Services
    c.add(
        new Case(
            "service clusterIP bad",
            list(service("  clusterIP: 10.96.0.256\n")),
            "spec.clusterIP"));
    c.add(
        new Case(
            "service clusterIPs bad",
            list(service("  clusterIPs: [\"$(id)\"]\n")),
            "spec.clusterIPs"));
    c.add(
        new Case(
            "service ports a string",
            list(service("  clusterIP: 10.96.0.10\n  ports: x\n")),
            "spec.ports"));
    for (String port : List.of("abc", "70000", "-1", "0", "1.5", "[1]")) {
      c.add(
          new Case(
              "service port " + port,
              list(service("  clusterIP: 10.96.0.10\n  ports:\n  - port: " + port + "\n")),
              "spec.ports[0].port"));
    }
    c.add(
        new Case(
            "service protocol ICMP",
            list(service("  clusterIP: 10.96.0.10\n  ports:\n  - port: 80\n    protocol: ICMP\n")),
            "spec.ports[0].protocol"));
    // EndpointSlices
    c.add(
        new Case(
            "slice without service label",
            list(
                "apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata:\n  name: web-x\n  namespace: default\nendpoints: []\n"),
            "metadata.labels"));
    c.add(
        new Case(
            "slice endpoint address bad",
            list(
                "apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata:\n  name: web-x\n  namespace: default\n  labels:\n    kubernetes.io/service-name: web\naddressType: IPv4\nendpoints:\n- addresses: [\"10.244.1.999\"]\n"),
            "endpoints[0].addresses[0]"));
    c.add(
        new Case(
            "slice endpoints a map",
            list(
                "apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata:\n  name: web-x\n  namespace: default\n  labels:\n    kubernetes.io/service-name: web\nendpoints: {a: b}\n"),
            "endpoints"));
    c.add(
        new Case(
            "slice port 70000",
            list(
                "apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata:\n  name: web-x\n  namespace: default\n  labels:\n    kubernetes.io/service-name: web\nendpoints: []\nports:\n- port: 70000\n"),
            "ports[0].port"));
    // Nodes (OVN-Kubernetes annotations hold JSON in strings)
    c.add(
        new Case(
            "node-subnets not JSON",
            list(node("    k8s.ovn.org/node-subnets: \"{not json\"\n")),
            "metadata.annotations.k8s.ovn.org/node-subnets"));
    c.add(
        new Case(
            "node-encap-ips not JSON",
            list(node("    k8s.ovn.org/node-encap-ips: \"[1.2\"\n")),
            "metadata.annotations.k8s.ovn.org/node-encap-ips"));
    c.add(
        new Case(
            "node-primary-ifaddr not JSON",
            list(node("    k8s.ovn.org/node-primary-ifaddr: \"{\"\n")),
            "metadata.annotations.k8s.ovn.org/node-primary-ifaddr"));
    c.add(
        new Case(
            "node-encap-ips bad IP",
            list(node("    k8s.ovn.org/node-encap-ips: '[\"$(id)\"]'\n")),
            "k8s.ovn.org/node-encap-ips"));
    c.add(
        new Case(
            "node address bad IP",
            list(
                "kind: Node\nmetadata:\n  name: node1\nstatus:\n  addresses:\n  - type: InternalIP\n    address: 1.2.3.999\n"),
            "status.addresses[0].address"));
    // NetworkPolicies
    c.add(
        new Case(
            "policy policyTypes a string",
            list(
                "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: p\n  namespace: default\nspec:\n  podSelector: {}\n  policyTypes: Ingress\n"),
            "spec.policyTypes"));
    // Hostile YAML
    c.add(
        new Case(
            "nesting 5000 deep",
            "kind: List\nitems: " + "[".repeat(5000) + "]".repeat(5000) + "\n",
            "not valid YAML or JSON"));
    return c.stream();
  }

  /** YAML aliases that expand to 10^9 nodes if a parser follows them naively. */
  static String laughs() {
    StringBuilder b =
        new StringBuilder(
            "a0: &a0 [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    for (int i = 1; i < 10; i++) {
      b.append("a").append(i).append(": &a").append(i).append(" [");
      for (int j = 0; j < 10; j++) {
        b.append(j == 0 ? "" : ",").append("*a").append(i - 1);
      }
      b.append("]\n");
    }
    return b.append("kind: List\n").toString();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void rejectedNamingTheField(Case c) {
    long start = System.nanoTime();
    assertThatThrownBy(() -> ManifestReader.parse(c.text()), c.name())
        .isInstanceOf(ManifestException.class)
        .hasMessageContaining(c.names());
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
    assertThat(ManifestReader.parse(sandbox()).nodes()).hasSize(3);
  }

  /** Aliases are not expanded (Jackson keeps them as scalars): quick, bounded, not an error. */
  @Test
  void billionLaughsDoesNotExpand() {
    long start = System.nanoTime();
    ClusterIndex index = ManifestReader.parse(laughs());
    assertThat(index.allPods()).isEmpty();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
  }

  /** Not an error: 20,000 pods parse, and fast enough to matter for a real dump. */
  @Test
  void hugeButValidManifestParses() {
    List<String> items = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      items.add(
          "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p-"
              + i
              + "\n  namespace: default\nspec:\n  nodeName: node1\nstatus:\n  podIP: 10.244."
              + (i / 250)
              + "."
              + (i % 250 + 3)
              + "\n");
    }
    ClusterIndex index = ManifestReader.parse(list(items.toArray(String[]::new)));
    assertThat(index.allPods()).hasSize(20_000);
  }

  static String sandbox() {
    try (InputStream in =
        ManifestBadInputTest.class.getResourceAsStream(
            "/fixtures/inventory/sandbox-cluster.yaml")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
