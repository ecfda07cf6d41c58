package io.podpath.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.podpath.agent.cni.Cni;
import io.podpath.agent.exec.Command;
import io.podpath.agent.ovsdb.Remote;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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

  @Test
  void aChannelLeftUnsetFailsNamingItWhenUsed() {
    AgentContext c = AgentContext.builder("node1", Path.of("/nonexistent")).build();
    Duration t = Duration.ofSeconds(1);
    assertThatThrownBy(() -> c.runOnHost(Command.of(List.of("true"))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no runner");
    assertThatThrownBy(() -> c.ip().routes(Optional.empty(), t)).hasMessageContaining("no runner");
    assertThatThrownBy(() -> c.ovsdb().list("Bridge", List.of("name"), t))
        .hasMessageContaining("no ovsdb");
    assertThatThrownBy(() -> c.vswitchd().call("version", List.of(), t))
        .hasMessageContaining("no vswitchd");
    assertThatThrownBy(() -> c.ovnController().call("version", List.of(), t))
        .hasMessageContaining("no ovnController");
    assertThatThrownBy(() -> c.netns().call(Path.of("/proc/1/ns/net"), t, () -> "entered"))
        .hasMessageContaining("no worker thread");
  }
}
