package io.podpath.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.ArrayList;
import java.util.List;

/** Real IPv6 packets on an IPv6-only or dual-stack sandbox, shared by both sandbox tests. */
final class Ipv6Packets {
  private Ipv6Packets() {}

  private static final List<Probe> ALL = List.of(Probe.icmp(), Probe.tcp(80), Probe.udp(53));

  /** Every pod reaches every other pod (same node and across the Geneve tunnel) in IPv6. */
  static void podsReachEachOther(Sandbox sb) {
    List<SandboxTests.Case> cases = new ArrayList<>();
    for (Pod src : sb.pods()) {
      for (Pod dst : sb.pods()) {
        if (!src.equals(dst)) {
          ALL.forEach(
              p -> cases.add(new SandboxTests.Case(src.ref(), dst.ref(), p.inFamily(6), true)));
        }
      }
    }
    SandboxTests.assertOutcomes(sb, cases);
  }

  /**
   * The Service's IPv6 ClusterIP (OVN load balancer), the external host (egress masqueraded to the
   * node's IPv6 address), the node's own stack to pods (the management port), and the pod MTU: an
   * ICMPv6 echo whose packet fits 1400 bytes passes with DF, one byte more does not leave the pod.
   */
  static void serviceExternalNodeAndMtu(Sandbox sb) {
    int mtuPayload = sb.spec().podMtu() - 40 - 8;
    List<SandboxTests.Case> cases = new ArrayList<>();
    for (Probe p : List.of(Probe.tcp(80), Probe.udp(53))) {
      cases.add(new SandboxTests.Case("default/client-1", "svc/default/web", p.inFamily(6), true));
      cases.add(new SandboxTests.Case("default/client-1", sb.serviceIp(6), p, true));
      cases.add(new SandboxTests.Case("default/client-2", "ext", p.inFamily(6), true));
      cases.add(new SandboxTests.Case("node1", "default/web-2", p.inFamily(6), true));
    }
    cases.add(new SandboxTests.Case("default/client-1", "ext", Probe.icmp().inFamily(6), true));
    cases.add(new SandboxTests.Case("node2", "default/web-1", Probe.icmp().inFamily(6), true));
    Probe fits = Probe.icmp().withDfSize(mtuPayload).inFamily(6);
    Probe over = Probe.icmp().withDfSize(mtuPayload + 1).inFamily(6);
    cases.add(new SandboxTests.Case("default/client-1", "default/web-2", fits, true));
    cases.add(new SandboxTests.Case("default/client-1", "default/web-2", over, false));
    cases.add(
        new SandboxTests.Case(
            "default/client-1",
            "default/web-2",
            Probe.udp(53).withDfSize(mtuPayload).inFamily(6),
            true));
    SandboxTests.assertOutcomes(sb, cases);
  }

  /** The manifest: each pod's IPv6 address, the Service's IPv6 ClusterIP and an IPv6 slice. */
  static void manifestCarriesIpv6(Sandbox sb, List<String> expectedFamilies) throws Exception {
    JsonNode list = new ObjectMapper(new YAMLFactory()).readTree(sb.manifest().toFile());
    List<String> sliceFamilies = new ArrayList<>();
    for (JsonNode item : list.path("items")) {
      switch (item.path("kind").asText()) {
        case "Pod" -> {
          Pod pod =
              sb.pod(
                  item.at("/metadata/namespace").asText()
                      + "/"
                      + item.at("/metadata/name").asText());
          List<String> ips = new ArrayList<>();
          item.at("/status/podIPs").forEach(i -> ips.add(i.path("ip").asText()));
          assertThat(ips).isEqualTo(pod.ips());
          assertThat(ips).hasSize(expectedFamilies.size());
          assertThat(pod.ip(6)).startsWith("fd00:");
        }
        case "Service" -> {
          assertThat(item.at("/spec/ipFamilies").toString())
              .isEqualTo(new ObjectMapper().writeValueAsString(expectedFamilies));
          assertThat(item.at("/spec/clusterIPs").toString()).contains(sb.serviceIp(6));
        }
        case "EndpointSlice" -> {
          sliceFamilies.add(item.path("addressType").asText());
          if (item.path("addressType").asText().equals("IPv6")) {
            assertThat(item.path("endpoints")).hasSize(sb.nodes().size());
            item.path("endpoints")
                .forEach(e -> assertThat(e.at("/addresses/0").asText()).contains(":"));
          }
        }
        case "Node" -> assertThat(item.at("/status/addresses").toString()).contains("fd00:");
        default -> {}
      }
    }
    assertThat(sliceFamilies).containsExactlyInAnyOrderElementsOf(expectedFamilies);
  }
}
