package io.podpath.agent.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** The builder starts with every fact absent, and toBuilder changes only what it sets. */
class NodeFactsTest {
  @Test
  void builderStartsWithEveryFactAbsent() {
    NodeFacts n = NodeFacts.builder("node1", "br-int").build();
    assertThat(n.nodeName()).isEqualTo("node1");
    assertThat(n.integrationBridge()).isEqualTo("br-int");
    assertThat(List.of(n.ovsVersion(), n.ovnVersion(), n.encapIp(), n.encapType()))
        .allMatch(Optional::isEmpty);
    assertThat(List.of(n.ovnRemote(), n.systemId(), n.cni())).allMatch(Optional::isEmpty);
    assertThat(List.of(n.underlayMtu(), n.podMtu())).allMatch(OptionalInt::isEmpty);
    assertThat(n.bridges()).isEmpty();
    assertThat(n.tunnels()).isEmpty();
    assertThat(n.cniEvidence()).isEmpty();
  }

  @Test
  void toBuilderKeepsEverythingItDoesNotSet() {
    NodeFacts n =
        NodeFacts.builder("node1", "br-int")
            .ovsVersion(Optional.of("3.1.0"))
            .bridges(List.of(new NodeFacts.BridgeFacts("br-int", "netdev", 4)))
            .encapIp(Optional.of("172.18.0.2"))
            .underlayMtu(OptionalInt.of(1500))
            .podMtu(OptionalInt.of(1400))
            .cni(Optional.of("ovn-kubernetes"))
            .cniEvidence(List.of("br-int has iface-id k8s-node1"))
            .build();
    NodeFacts changed = n.toBuilder().podMtu(OptionalInt.of(1300)).build();
    assertThat(changed.podMtu()).hasValue(1300);
    assertThat(changed).usingRecursiveComparison().ignoringFields("podMtu").isEqualTo(n);
    assertThat(n.toBuilder().build()).isEqualTo(n);
  }
}
