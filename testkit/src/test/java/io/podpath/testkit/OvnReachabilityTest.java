package io.podpath.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SandboxExtension.class)
@SandboxConfig(apps = false)
class OvnReachabilityTest {

  @Test
  void bringsUpThreeNodesQuickly(Sandbox sb) {
    System.out.printf(
        "3-node ovn sandbox %s: network ready in %.2f s%n", sb.prefix(), sb.bringUpSeconds());
    assertThat(sb.nodes()).extracting(Node::name).containsExactly("node1", "node2", "node3");
    assertThat(sb.nodes().get(1).ip()).isEqualTo("172.31." + sb.index() + ".12");
    assertThat(sb.pods()).hasSize(6);
    assertThat(sb.pod("default/web-2").ip()).isEqualTo("10.244.2.3");
    assertThat(sb.pod("default/client-3").ip()).isEqualTo("10.244.3.4");
    assertThat(sb.bringUpSeconds()).isPositive();
  }

  @Test
  void everyPodReachesEveryOtherPodByIcmpTcpAndUdp(Sandbox sb) {
    SandboxTests.assertAllPairsReach(sb, List.of(Probe.icmp(), Probe.tcp(80), Probe.udp(53)));
  }

  @Test
  void serviceVipReachesEveryEndpointFromEveryPod(Sandbox sb) {
    SandboxTests.assertServiceReachesAllEndpoints(sb);
  }

  @Test
  void everyPodReachesTheExternalHost(Sandbox sb) {
    for (Pod src : sb.pods()) {
      assertThat(sb.probe(src.ref(), "ext", Probe.tcp(80)).reply())
          .isEqualTo("podpath external/external");
      assertThat(sb.probe(src.ref(), "ext", Probe.udp(53)).delivered()).isTrue();
    }
  }

  @Test
  void rootNetnsReachesNodeIpsOverTheHostLink(Sandbox sb) {
    for (Node n : sb.nodes()) {
      ExecResult r =
          ProcessRunner.run(
              List.of("ping", "-c1", "-W2", "-n", n.ip()), Map.of(), Duration.ofSeconds(10));
      assertThat(r.exitCode()).as("ext -> %s: %s", n.ip(), r.stdout()).isZero();
    }
  }

  @Test
  void manifestDescribesTheClusterAsOvnKubernetesDoes(Sandbox sb) throws Exception {
    JsonNode list = new ObjectMapper(new YAMLFactory()).readTree(sb.manifest().toFile());
    assertThat(list.path("kind").asText()).isEqualTo("List");
    Set<String> kinds = new HashSet<>();
    list.path("items").forEach(i -> kinds.add(i.path("kind").asText()));
    assertThat(kinds).contains("Node", "Pod", "Service", "EndpointSlice");
    for (JsonNode item : list.path("items")) {
      switch (item.path("kind").asText()) {
        case "Node" -> {
          String name = item.at("/metadata/name").asText();
          String subnet =
              sb.nodes().stream()
                  .filter(n -> n.name().equals(name))
                  .findFirst()
                  .orElseThrow()
                  .podSubnet();
          JsonNode ann = item.at("/metadata/annotations");
          assertThat(ann.path("k8s.ovn.org/node-subnets").asText())
              .isEqualTo("{\"default\":[\"" + subnet + "\"]}");
          assertThat(ann.path("k8s.ovn.org/node-primary-ifaddr").asText())
              .contains(sb.nodeIp(name) + "/24");
          assertThat(item.at("/status/addresses/0/address").asText()).isEqualTo(sb.nodeIp(name));
        }
        case "Pod" -> {
          Pod p =
              sb.pod(
                  item.at("/metadata/namespace").asText()
                      + "/"
                      + item.at("/metadata/name").asText());
          assertThat(item.at("/status/podIP").asText()).isEqualTo(p.ip());
          assertThat(item.at("/status/hostIP").asText()).isEqualTo(sb.nodeIp(p.node()));
          assertThat(item.at("/spec/nodeName").asText()).isEqualTo(p.node());
          assertThat(item.at("/status/phase").asText()).isEqualTo("Running");
        }
        case "Service" -> assertThat(item.at("/spec/clusterIP").asText()).isEqualTo("10.96.0.10");
        case "EndpointSlice" -> {
          assertThat(item.path("endpoints")).hasSize(3);
          Set<String> nodes = new HashSet<>();
          item.path("endpoints").forEach(e -> nodes.add(e.path("nodeName").asText()));
          assertThat(nodes).hasSize(3);
        }
        default -> {}
      }
    }
  }
}
