package io.podpath.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.podpath.agent.cni.Cni;
import io.podpath.agent.ovsdb.Remote;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The builder's defaults, and that toBuilder changes only what it sets. */
class AgentContextTest {
  @Test
  void defaultsAreTheAgentsOwnNetnsDetectedCniAndNoOverrides() {
    AgentContext c = AgentContext.builder("node1", Path.of("/run/openvswitch")).build();
    assertThat(c.nodeName()).isEqualTo("node1");
    assertThat(c.ovsRundir()).isEqualTo(Path.of("/run/openvswitch"));
    assertThat(c.hostNetns()).isEmpty();
    assertThat(c.ovnSb()).isEmpty();
    assertThat(c.ovnNb()).isEmpty();
    assertThat(c.cni()).as("detected on every call").isEmpty();
    assertThat(c.registry()).isNotNull();
  }

  @Test
  void toBuilderKeepsEverythingItDoesNotSet() {
    AgentContext c =
        AgentContext.builder("node2", Path.of("/x"))
            .hostNetns(Optional.of(Path.of("/var/run/netns/n2")))
            .ovnSb(Optional.of(Remote.parse("unix:/sb.sock")))
            .build();
    AgentContext changed = c.toBuilder().cni(Optional.of(Cni.KUBE_OVN)).build();
    assertThat(changed.cni()).contains(Cni.KUBE_OVN);
    assertThat(changed).usingRecursiveComparison().ignoringFields("cni").isEqualTo(c);
    assertThat(c.toBuilder().build()).isEqualTo(c);
  }
}
