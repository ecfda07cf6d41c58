package io.podpath.agent.trace;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.podpath.agent.ovsdb.MonitoredTables;
import io.podpath.agent.ovsdb.OvsState;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Host-side ports from the OVSDB rows RECORDED from sandbox node1 (the ovsdb-monitor fixture,
 * hack/fixtures/ovsdb-monitor.sh): found by interface type, whatever the names.
 */
class HostSidePortsTest {
  static OvsState recordedNode1() throws IOException {
    ObjectMapper json = new ObjectMapper();
    MonitoredTables t = new MonitoredTables(List.of("Open_vSwitch", "Bridge", "Port", "Interface"));
    String text = TraceFixtures.readPath("/fixtures/ovsdb-monitor/node1-monitor.jsonl");
    for (String line : text.split("\n")) {
      JsonNode l = json.readTree(line);
      if (l.get("dir").asText().equals("recv") && l.get("step").asInt() == 0) {
        t.apply(l.get("msg").get("result"));
        break;
      }
    }
    return OvsState.fromRows(
        t.rows("Open_vSwitch"), t.rows("Bridge"), t.rows("Port"), t.rows("Interface"));
  }

  @Test
  void internalInterfacesAreHostSideWithTheirBridgeAndOfport() throws IOException {
    HostSidePorts p = HostSidePorts.of(recordedNode1());
    assertThat(p.names()).containsExactlyInAnyOrder("br-int", "br-phy", "ovn-k8s-mp0");
    assertThat(p.named("ovn-k8s-mp0")).hasValue(new HostSidePorts.Port("ovn-k8s-mp0", "br-int", 1));
    assertThat(p.at("br-phy", 65534)).map(HostSidePorts.Port::name).hasValue("br-phy");
    // the uplink (a system port), tunnels and pod veths are not host-side
    assertThat(p.named("eth0")).isEmpty();
    assertThat(p.at("br-int", 2)).isEmpty();
  }
}
