package io.podpath.aggregator.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ManifestReaderTest {
  /**
   * Written by the sandbox's own generator (hack/lib/manifest.py); re-record: hack/record-fixtures.
   */
  static String sandboxManifest() {
    try (var in =
        ManifestReaderTest.class.getResourceAsStream("/fixtures/inventory/sandbox-cluster.yaml")) {
      if (in == null) {
        throw new IllegalStateException(
            "fixture fixtures/inventory/sandbox-cluster.yaml missing: run hack/record-fixtures (hack/fixtures/aggregator.sh)");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void readsTheSandboxManifest() {
    ClusterIndex idx = ManifestReader.parse(sandboxManifest());

    assertThat(idx.nodes()).extracting(NodeInfo::name).startsWith("node1", "node2");
    NodeInfo n2 = idx.node("node2").orElseThrow();
    // Node i's underlay IP is 172.31.K.(10+i), K being the recording sandbox's index.
    assertThat(n2.internalIp()).matches("172\\.31\\.\\d\\.12");
    assertThat(n2.encapIp()).isEqualTo(n2.internalIp());
    assertThat(n2.podSubnets()).containsExactly("10.244.2.0/24");
    String n1 = idx.node("node1").orElseThrow().encapIp();
    assertThat(idx.nodeByEncapIp(n1).map(NodeInfo::name)).contains("node1");

    PodInfo web2 = idx.pod(new ObjectRef("default", "web-2")).orElseThrow();
    assertThat(web2.node()).isEqualTo("node2");
    assertThat(web2.ips()).containsExactly("10.244.2.3");
    assertThat(web2.hostIp()).isEqualTo(n2.internalIp());
    assertThat(web2.ready()).isTrue();
    assertThat(web2.labels()).containsEntry("app", "web");
    assertThat(idx.podByIp("10.244.1.4").map(p -> p.ref().name())).contains("client-1");

    ServiceInfo web = idx.serviceByClusterIp("10.96.0.10").orElseThrow();
    assertThat(web.ref()).isEqualTo(new ObjectRef("default", "web"));
    assertThat(web.port("TCP", 80)).isPresent();
    assertThat(web.port("UDP", 53)).isPresent();
    assertThat(idx.endpoints(web.ref()))
        .extracting(ServiceEndpoint::ip)
        .startsWith("10.244.1.3", "10.244.2.3")
        .hasSize(idx.nodes().size());
    assertThat(idx.endpoints(web.ref()).get(1).pod()).contains(new ObjectRef("default", "web-2"));
    assertThat(idx.networkPolicies())
        .extracting(p -> p.ref().toString())
        .containsExactly("default/deny-ingress-web-2");
    assertThat(idx.pods("default", Map.of("app", "client"))).hasSize(idx.nodes().size());
  }

  @Test
  void readsJsonAsWell() {
    String json =
        """
        {"apiVersion":"v1","kind":"List","items":[
          {"apiVersion":"v1","kind":"Node","metadata":{"name":"n1"},
           "status":{"addresses":[{"type":"InternalIP","address":"192.0.2.1"}]}},
          {"apiVersion":"v1","kind":"Pod","metadata":{"name":"a","namespace":"x"},
           "spec":{"nodeName":"n1"},"status":{"phase":"Running","podIP":"10.0.0.5"}},
          {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"ignored"}}]}
        """;
    ClusterIndex idx = ManifestReader.parse(json);
    assertThat(idx.node("n1").map(NodeInfo::encapIp)).contains("192.0.2.1");
    assertThat(idx.podByIp("10.0.0.5").map(p -> p.ref().toString())).contains("x/a");
    assertThat(idx.podByIp("10.0.0.5").map(PodInfo::ready)).contains(true);
  }

  @Test
  void oldOvnKubernetesNodesUseThePrimaryInterfaceAddress() {
    String yaml =
        """
        kind: Node
        metadata:
          name: n1
          annotations:
            k8s.ovn.org/node-primary-ifaddr: '{"ipv4":"198.51.100.7/24"}'
        status:
          addresses: [{type: InternalIP, address: 192.0.2.1}]
        """;
    assertThat(ManifestReader.parse(yaml).node("n1").map(NodeInfo::encapIp))
        .contains("198.51.100.7");
  }

  /** Kube-OVN over an IPv6 underlay: no encap annotation, the tunnels go to the IPv6 InternalIP. */
  @Test
  void aTunnelToAnyInternalIpOfANodeIsThatNode() {
    String yaml =
        """
        kind: List
        items:
        - kind: Node
          metadata: {name: n1}
          status:
            addresses: [{type: InternalIP, address: 192.0.2.1}, {type: InternalIP, address: 'fd00:172:31::11'}]
        - kind: Node
          metadata:
            name: n2
            annotations:
              k8s.ovn.org/node-encap-ips: '["fd00:172:31::99"]'
          status:
            addresses: [{type: InternalIP, address: 192.0.2.2}]
        - kind: Node
          metadata: {name: n3}
          status:
            addresses: [{type: InternalIP, address: 192.0.2.3}, {type: InternalIP, address: 'fd00:172:31::99'}]
        """;
    ClusterIndex idx = ManifestReader.parse(yaml);
    assertThat(idx.node("n1").map(NodeInfo::internalIp)).contains("192.0.2.1");
    assertThat(idx.nodeByEncapIp("fd00:172:31:0::11").map(NodeInfo::name)).contains("n1");
    assertThat(idx.nodeByEncapIp("192.0.2.1").map(NodeInfo::name)).contains("n1");
    // an encap IP a CNI annotated wins over another node's InternalIP
    assertThat(idx.nodeByEncapIp("fd00:172:31::99").map(NodeInfo::name)).contains("n2");
  }

  @Test
  void badManifestsNameTheItemAndTheField() {
    assertThatThrownBy(
            () -> ManifestReader.parse(sandboxManifest().replace("10.244.2.3", "10.244.2.x")))
        .isInstanceOf(ManifestException.class)
        .hasMessageContaining("items[")
        .hasMessageContaining("Pod default/web-2")
        .hasMessageContaining("status.podIP")
        .hasMessageContaining("'10.244.2.x' is not an IP address");
    assertThatThrownBy(
            () ->
                ManifestReader.parse(
                    "kind: List\nitems:\n- kind: Service\n  metadata: {name: s}\n  spec:\n    ports: [{port: 0}]\n"))
        .hasMessage(
            "items[0] (Service s): spec.ports[0].port: expected a port number 1-65535, found '0'");
    assertThatThrownBy(() -> ManifestReader.parse("kind: List\nitems:\n- metadata: {name: x}\n"))
        .hasMessage("items[0]: kind: missing");
    assertThatThrownBy(
            () ->
                ManifestReader.parse(
                    "kind: Node\nmetadata:\n  name: n\n  annotations:\n    k8s.ovn.org/node-encap-ips: '[1.2'\n"))
        .hasMessageStartingWith(
            "manifest (Node n): metadata.annotations.k8s.ovn.org/node-encap-ips: not valid JSON");
    assertThatThrownBy(() -> ManifestReader.parse("kind: List\nitems: {a: 1}\n"))
        .hasMessage("manifest: items: expected a list, found OBJECT");
    assertThatThrownBy(() -> ManifestReader.parse("a: [1, 2"))
        .isInstanceOf(ManifestException.class)
        .hasMessageStartingWith("not valid YAML or JSON");
    assertThatThrownBy(() -> ManifestReader.parse("")).hasMessageContaining("empty manifest");
  }

  @Test
  void sizeLimitsStopHostileScalarsButNotBigClusters() {
    String huge = "a".repeat(2 << 20);
    assertThatThrownBy(() -> ManifestReader.parse("kind: List\nx: \"" + huge + "\"\n"))
        .isInstanceOf(ManifestException.class)
        .hasMessageStartingWith("not valid YAML or JSON: line 2 is ");
    assertThatThrownBy(() -> ManifestReader.parse("{\"kind\":\"List\",\"x\":\"" + huge + "\"}"))
        .isInstanceOf(ManifestException.class)
        .hasMessageStartingWith("not valid YAML or JSON: ");
    // Bigger than SnakeYAML's 3 MiB default, as a few hundred nodes' kubectl dump is.
    StringBuilder big = new StringBuilder("kind: List\nitems:\n");
    int i = 0;
    while (big.length() < (3 << 20) + (256 << 10)) {
      big.append("- kind: Node\n  metadata: {name: n")
          .append(i++)
          .append("}\n")
          .append("  status: {addresses: [{type: InternalIP, address: 10.0.0.1}]}\n");
    }
    assertThat(ManifestReader.parse(big.toString()).nodes()).hasSize(i);
  }

  @Test
  void endpointSlicesNeedTheirServiceLabel() {
    assertThatThrownBy(
            () ->
                ManifestReader.parse(
                    "kind: EndpointSlice\nmetadata: {name: e, namespace: d}\nendpoints: []\n"))
        .hasMessage(
            "manifest (EndpointSlice d/e): metadata.labels: missing kubernetes.io/service-name");
  }

  @Test
  void missingReadyConditionMeansReady() {
    String yaml =
        """
        kind: EndpointSlice
        metadata: {name: e, namespace: d, labels: {kubernetes.io/service-name: s}}
        endpoints:
        - addresses: [10.0.0.1]
        - addresses: [10.0.0.2]
          conditions: {ready: false}
        ports: [{name: http, port: 8080, protocol: TCP}]
        """;
    var eps = ManifestReader.parse(yaml).endpoints(new ObjectRef("d", "s"));
    assertThat(eps).extracting(ServiceEndpoint::ready).containsExactly(true, false);
    assertThat(eps.get(0).pod()).isEqualTo(Optional.empty());
  }

  /**
   * A List's items are mapped as they are read, not after the whole document is held in memory: the
   * bad first item is named although the text breaks further down (a whole-document parse reported
   * the syntax error first). kubectl's JSON puts items before kind, and still reads.
   */
  @Test
  void aListIsReadItemByItem() {
    assertThatThrownBy(
            () ->
                ManifestReader.parse(
                    "kind: List\nitems:\n- metadata: {name: x}\n- kind: Pod\n  metadata: [\n"))
        .hasMessage("items[0]: kind: missing");
    ClusterIndex idx =
        ManifestReader.parse(
            "{\"apiVersion\": \"v1\", \"items\": [{\"kind\": \"Node\", \"metadata\":"
                + " {\"name\": \"n1\"}, \"status\": {\"addresses\": [{\"type\": \"InternalIP\","
                + " \"address\": \"192.0.2.1\"}]}}], \"kind\": \"List\"}");
    assertThat(idx.node("n1").map(NodeInfo::internalIp)).contains("192.0.2.1");
  }
}
