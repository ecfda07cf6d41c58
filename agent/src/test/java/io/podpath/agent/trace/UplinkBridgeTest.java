package io.podpath.agent.trace;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.podpath.agent.node.NodeInspector;
import io.podpath.agent.ovsdb.MonitoredTables;
import io.podpath.agent.ovsdb.OvsState;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Which uplink device is an OVS bridge's LOCAL port, decided from OVSDB rows recorded on a sandbox
 * node (fixtures/ovsdb-monitor/node1-monitor.jsonl, the monitor's initial rows): {@code br-phy}
 * holds the node IP and the NIC {@code eth0}; the management port and the integration bridge are
 * not uplink bridges.
 */
class UplinkBridgeTest {
  private static final String FIXTURE = "/fixtures/ovsdb-monitor/node1-monitor.jsonl";

  private static OvsState recorded() throws IOException {
    ObjectMapper json = new ObjectMapper();
    MonitoredTables t = new MonitoredTables(List.of("Open_vSwitch", "Bridge", "Port", "Interface"));
    try (InputStream in = UplinkBridgeTest.class.getResourceAsStream(FIXTURE)) {
      for (String l : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        JsonNode line = l.isBlank() ? null : json.readTree(l);
        if (line != null
            && line.get("dir").asText().equals("recv")
            && line.get("step").asInt() == 0) {
          t.apply(line.get("msg").get("result"));
          break;
        }
      }
    }
    return OvsState.fromRows(
        t.rows("Open_vSwitch"), t.rows("Bridge"), t.rows("Port"), t.rows("Interface"));
  }

  @Test
  void theNodeIpsBridgeIsEnteredFromItsNic() throws IOException {
    OvsState ovs = recorded();
    String integration = NodeInspector.integrationBridge(ovs);
    assertThat(integration).isEqualTo("br-int");

    UplinkBridge up = UplinkBridge.of(ovs, "br-phy", integration).orElseThrow();
    assertThat(up.bridge()).isEqualTo("br-phy");
    assertThat(up.nic()).isEqualTo("eth0");
    OvsState.OvsInterface eth0 = ovs.interfaceByName("eth0").orElseThrow();
    assertThat(up.nicOfport()).isEqualTo((int) eth0.ofport().getAsLong());
    assertThat(up.localMac().map(MacAddress::toString))
        .contains(ovs.interfaceByName("br-phy").orElseThrow().macInUse());
  }

  @Test
  void portsThatAreNoUplinkBridgeGoStraightToTheKernel() throws IOException {
    OvsState ovs = recorded();
    // the management port: internal, but on the integration bridge and not named like it
    assertThat(UplinkBridge.of(ovs, "ovn-k8s-mp0", "br-int")).isEmpty();
    // the integration bridge's own LOCAL port
    assertThat(UplinkBridge.of(ovs, "br-int", "br-int")).isEmpty();
    // a NIC itself, and a device OVS does not know
    assertThat(UplinkBridge.of(ovs, "eth0", "br-int")).isEmpty();
    assertThat(UplinkBridge.of(ovs, "ens3", "br-int")).isEmpty();
  }
}
