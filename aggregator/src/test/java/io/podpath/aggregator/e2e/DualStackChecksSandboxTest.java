package io.podpath.aggregator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.podpath.aggregator.testing.SandboxAggregator;
import io.podpath.testkit.Fault;
import io.podpath.testkit.IpFamily;
import io.podpath.testkit.Pod;
import io.podpath.testkit.Probe;
import io.podpath.testkit.Sandbox;
import io.podpath.testkit.SandboxConfig;
import io.podpath.testkit.SandboxExtension;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Health checks and {@code inspect} on the dual-stack sandbox of the dual-stack matrix: no false
 * failure, IPv6 forwarding turned off found on its node (while real IPv6 egress dies and IPv4 still
 * works), and a pod's addresses and routes of both families.
 */
@ExtendWith(SandboxExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@SandboxConfig(nodes = 2, ipFamily = IpFamily.DUAL)
class DualStackChecksSandboxTest {
  private Sandbox sb;
  private SandboxAggregator aggregator;

  @BeforeAll
  void start(Sandbox sandbox) {
    sb = sandbox;
    aggregator = SandboxAggregator.start(sandbox);
  }

  @AfterAll
  void stop() {
    if (aggregator != null) {
      aggregator.close();
    }
  }

  private JsonNode cli(String... args) throws Exception {
    List<String> all = new ArrayList<>(List.of("--aggregator", aggregator.address()));
    all.addAll(List.of(args));
    all.addAll(List.of("-o", "json"));
    MatrixCli.Run r = MatrixCli.cli(all.toArray(String[]::new));
    assertThat(r.out()).as("podpath %s: %s", args[0], r.err()).isNotBlank();
    return MatrixCli.JSON.readTree(r.out());
  }

  /** Every check's status on every node: "node check STATUS summary". */
  private List<String> problems(JsonNode sweep) {
    List<String> out = new ArrayList<>();
    for (JsonNode n : sweep.path("nodes")) {
      for (JsonNode c : n.path("checks")) {
        String status = c.path("status").asText();
        if (!status.equals("OK") && !status.equals("NOT_APPLICABLE")) {
          out.add(
              n.path("node").asText()
                  + " "
                  + c.path("id").asText()
                  + " "
                  + status
                  + " "
                  + c.path("summary").asText());
        }
      }
    }
    return out;
  }

  @Test
  void aHealthyDualStackClusterSweepsClean() throws Exception {
    assertThat(problems(cli("sweep"))).isEmpty();
  }

  @Test
  void ipv6ForwardingOffIsFoundOnItsNode() throws Exception {
    sb.breakFault(Fault.IP6_FORWARD, "node1");
    try {
      assertThat(sb.probe("default/client-1", "ext", Probe.tcp(80).inFamily(6)).delivered())
          .isFalse();
      assertThat(sb.probe("default/client-1", "ext", Probe.tcp(80).inFamily(4)).delivered())
          .isTrue();
      // the consequence names what the probe above saw die: egress through the node
      assertThat(problems(cli("sweep")))
          .singleElement()
          .asString()
          .startsWith(
              "node1 ip-forward FAIL net.ipv6.conf.all.forwarding=0 on a node with global IPv6"
                  + " addresses: for IPv6, ")
          .contains("egress leaving through the node");
    } finally {
      sb.fix(Fault.IP6_FORWARD, "node1");
    }
    assertThat(sb.probe("default/client-1", "ext", Probe.tcp(80).inFamily(6)).delivered()).isTrue();
  }

  @Test
  void inspectShowsBothFamilies() throws Exception {
    Pod web2 = sb.pod("default/web-2");
    JsonNode in = cli("inspect", "default/web-2");
    List<String> ips = new ArrayList<>();
    in.path("ips").forEach(i -> ips.add(i.asText()));
    assertThat(ips).isEqualTo(web2.ips());
    List<String> defaults = new ArrayList<>();
    for (JsonNode r : in.path("routes")) {
      if (r.path("destination").asText().equals("default")) {
        defaults.add(r.path("gateway").asText());
      }
    }
    assertThat(defaults).hasSize(2).anyMatch(g -> g.contains(":")).anyMatch(g -> !g.contains(":"));
  }
}
