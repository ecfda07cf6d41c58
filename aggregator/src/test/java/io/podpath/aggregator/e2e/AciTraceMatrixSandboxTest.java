package io.podpath.aggregator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.podpath.testkit.Conntrack;
import io.podpath.testkit.Mode;
import io.podpath.testkit.Probe;
import io.podpath.testkit.ProbeResult;
import io.podpath.testkit.SandboxConfig;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The real-packet matrix on {@code --mode aci} (the ACI CNI: pods on br-access, patch ports to
 * br-int, VXLAN through the fabric leaf's VTEP): podpath's verdicts, both directions, against
 * {@code hack/sandbox probe} on the same endpoints; the EPGs and contracts are hack/README.md's.
 */
@SandboxConfig(nodes = 2, podsPerNode = 3, mode = Mode.ACI)
class AciTraceMatrixSandboxTest extends CniTraceMatrix {
  /** The encap VNID of EPG kubernetes|kube-default, as the sandbox's APIC stand-in assigns it. */
  private static final long DEFAULT_EPG_VNID = 8290304;

  /**
   * Two nodes: the first leaves by vxlan0 to the leaf's VTEP (no node's IP), the second takes it at
   * its vxlan0 as the fabric hands it on, with the source EPG's VNID.
   */
  private void viaFabric(JsonNode direction, String from, String to, String text) {
    JsonNode nodes = direction.path("nodes");
    assertThat(nodes.size()).as(text).isEqualTo(2);
    assertThat(nodes.get(0).path("node").asText()).as(text).isEqualTo(from);
    assertThat(nodes.get(1).path("node").asText()).as(text).isEqualTo(to);
    JsonNode tunnel = nodes.get(0).path("outcome").path("tunnel");
    assertThat(tunnel.path("portName").asText()).as(text).isEqualTo("vxlan0");
    assertThat(tunnel.path("remoteIp").asText())
        .as(text)
        .isNotIn(sb.nodeIp("node1"), sb.nodeIp("node2"));
    assertThat(tunnel.path("vni").asLong()).as(text).isEqualTo(DEFAULT_EPG_VNID);
    assertThat(direction.path("notes").toString()).as(text).contains("fabric's VTEP");
  }

  @Test
  void podToPodSameAndCrossNodeAgreeWithRealPackets() throws Exception {
    List<String> wrong = new ArrayList<>();
    for (Probe p : List.of(Probe.tcp(80), Probe.udp(53), Probe.icmp())) {
      Traced same = trace("default/client-1", "default/web-1", p);
      assertFamily(same);
      allOn(same.first().path("forward"), "node1", same.text());
      wrong.add(row("default/client-1", "default/web-1", p, same.bothDelivered(), same));

      Traced cross = trace("default/client-1", "default/web-2", p);
      assertFamily(cross);
      viaFabric(cross.first().path("forward"), "node1", "node2", cross.text());
      viaFabric(cross.first().path("reply"), "node2", "node1", cross.text());
      wrong.add(row("default/client-1", "default/web-2", p, cross.bothDelivered(), cross));
    }
    wrong.removeIf(w -> w == null);
    assertThat(wrong).as("rows where podpath and real packets disagree").isEmpty();
  }

  @Test
  void epgContractDropsAreNamedAndAgreeWithRealPackets() throws Exception {
    List<String> wrong = new ArrayList<>();
    for (String[] pair :
        List.of(
            new String[] {"default/client-1", "default/pod-1-3", "node1"},
            new String[] {"default/client-1", "default/pod-2-3", "node2"})) {
      Traced t = trace(pair[0], pair[1], Probe.icmp());
      assertFamily(t);
      assertThat(t.verdict("forward")).as(t.text()).isEqualTo("DROPPED");
      assertThat(t.first().path("forward").path("droppedNode").asText())
          .as(t.text())
          .isEqualTo(pair[2]);
      assertThat(t.first().path("forward").path("summary").asText())
          .as(t.text())
          .contains("policy (EPG contracts)");
      wrong.add(row(pair[0], pair[1], Probe.icmp(), t.bothDelivered(), t));
    }
    wrong.removeIf(w -> w == null);
    assertThat(wrong).as("rows where podpath and real packets disagree").isEmpty();
  }

  /** To outside: VXLAN to the leaf, which routes it out by the L3Out. */
  @Test
  void externalThroughTheFabricAgreesWithRealPackets() throws Exception {
    List<String> wrong = new ArrayList<>();
    for (Probe p : List.of(Probe.tcp(80), Probe.icmp())) {
      Traced t = trace("default/client-1", "ip:" + externalIp(), p);
      assertFamily(t);
      assertThat(t.first().path("forward").path("leftVia").asText())
          .as(t.text())
          .startsWith("node1 via tunnel vxlan0 to the fabric's VTEP");
      ProbeResult real = sb.probe("default/client-1", "ext", inFamily(p));
      Conntrack.flush(sb);
      if (t.verdict("forward").equals("LEFT_CLUSTER") != real.delivered()) {
        wrong.add("client-1 -> ext " + p.protocol() + ": " + real.reason() + "\n" + t.text());
      }
    }
    assertThat(wrong).as("rows where podpath and real packets disagree").isEmpty();
  }
}
