package io.podpath.agent.pod;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.podpath.agent.AgentContext;
import io.podpath.agent.cni.Cni;
import io.podpath.agent.errors.FailedPreconditionException;
import io.podpath.agent.errors.NotFoundException;
import io.podpath.agent.ovsdb.OvsDatabase;
import io.podpath.agent.ovsdb.OvsdbRow;
import io.podpath.agent.ovsdb.VsctlOvsDatabase;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * PodLocator goes through the node's CNI profile: errors that name the profile and what it looked
 * for, on OVSDB rows recorded from the sdn sandbox. (The happy paths run on real sandboxes:
 * SdnInspectSandboxTest, AciInspectSandboxTest, AgentCoreSandboxTest.)
 */
class PodLocatorCniTest {
  private static final Duration T = Duration.ofSeconds(5);

  private static String read(String path) {
    try (InputStream in = PodLocatorCniTest.class.getResourceAsStream("/fixtures/" + path)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /** The sdn node's rows; {@code withVxlan0=false} drops every row naming vxlan0. */
  private static OvsDatabase sdnNode(boolean withVxlan0) {
    return new OvsDatabase() {
      @Override
      public List<OvsdbRow> list(String table, List<String> columns, Duration timeout) {
        String file =
            switch (table) {
              case "Bridge" -> "bridges.json";
              case "Port" -> "ports.json";
              case "Interface" -> "interfaces.json";
              default -> "";
            };
        if (file.isEmpty()) {
          return List.of();
        }
        List<OvsdbRow> rows = VsctlOvsDatabase.parse(read("cni/sdn/node1-" + file));
        return withVxlan0
            ? rows
            : rows.stream().filter(r -> !"vxlan0".equals(r.string("name"))).toList();
      }

      @Override
      public String via() {
        return "fixture";
      }
    };
  }

  private static PodLocator locator(OvsDatabase db, Optional<Cni> cni) {
    return new PodLocator(
        AgentContext.builder("node1", Path.of("/nonexistent")).ovsdb(db).cni(cni).build());
  }

  @Test
  void aNodeMatchingNoProfileIsAnErrorNamingWhatEachLookedForAndTheFlag() {
    assertThatThrownBy(
            () -> locator(sdnNode(false), Optional.empty()).inspect(new PodKey("blue", "a"), T))
        .isInstanceOf(FailedPreconditionException.class)
        .hasMessageContaining("no CNI profile matches")
        .hasMessageContaining("bridge br0 with ports vxlan0 and tun0")
        .hasMessageContaining("--cni NAME");
  }

  @Test
  void sdnPodsByNameAloneAreRefusedNamingTheWayOut() {
    assertThatThrownBy(
            () ->
                locator(sdnNode(true), Optional.empty()).inspect(new PodKey("blue", "client-1"), T))
        .isInstanceOf(FailedPreconditionException.class)
        .hasMessageContaining("openshift-sdn writes no pod name into OVSDB")
        .hasMessageContaining("by its IP");
  }

  @Test
  void aForcedProfileLooksForItsOwnIdsAndSaysSo() {
    assertThatThrownBy(
            () ->
                locator(sdnNode(true), Optional.of(Cni.OVN_KUBERNETES))
                    .port(new PodKey("blue", "client-1"), T))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining("ovn-kubernetes")
        .hasMessageContaining("iface-id");
  }
}
