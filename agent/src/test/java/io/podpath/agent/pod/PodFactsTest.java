package io.podpath.agent.pod;

import static org.assertj.core.api.Assertions.assertThat;

import io.podpath.agent.cni.Cni;
import io.podpath.agent.cni.CniProfiles;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** The builder starts with every fact absent, and toBuilder changes only what it sets. */
class PodFactsTest {
  private static final PodKey WEB = new PodKey("default", "web-1");

  @Test
  void builderStartsWithEveryFactAbsent() {
    PodFacts f = PodFacts.builder(WEB, "node1", "ovn-kubernetes").build();
    assertThat(f.pod()).isEqualTo(WEB);
    assertThat(f.node()).isEqualTo("node1");
    assertThat(f.cni()).isEqualTo("ovn-kubernetes");
    assertThat(List.of(f.netns(), f.podInterface(), f.hostInterface(), f.bridge(), f.ovsPort()))
        .allMatch(Optional::isEmpty);
    assertThat(List.of(f.ifaceId(), f.mac())).allMatch(Optional::isEmpty);
    assertThat(List.of(f.ifindex(), f.iflink(), f.hostIfindex(), f.ofport(), f.mtu()))
        .allMatch(OptionalInt::isEmpty);
    assertThat(f.ips()).isEmpty();
    assertThat(f.routes()).isEmpty();
    assertThat(f.findings()).isEmpty();
  }

  @Test
  void toBuilderKeepsEverythingItDoesNotSet() {
    PodFacts f =
        PodFacts.builder(WEB, "node1", "ovn-kubernetes")
            .netns(Optional.of("/var/run/netns/web-1"))
            .podInterface(Optional.of("eth0"))
            .ifindex(OptionalInt.of(2))
            .hostInterface(Optional.of("veth1"))
            .ofport(OptionalInt.of(5))
            .ips(List.of("10.244.0.5"))
            .mtu(OptionalInt.of(1400))
            .findings(List.of(Finding.warning("mtu-mismatch", "pod eth0 MTU 1400")))
            .build();
    PodFacts changed = f.toBuilder().ofport(OptionalInt.of(-1)).build();
    assertThat(changed.ofport()).hasValue(-1);
    assertThat(changed).usingRecursiveComparison().ignoringFields("ofport").isEqualTo(f);
    assertThat(f.toBuilder().build()).isEqualTo(f);
  }

  @Test
  void portMissingNamesOnlyThePodsIfaceIdAndTheFinding() {
    Finding why = Finding.error("port-missing", "no OVS port");
    PodFacts f = PodFacts.portMissing("node1", CniProfiles.of(Cni.OVN_KUBERNETES), WEB, why);
    assertThat(f.ifaceId()).contains(WEB.ifaceId());
    assertThat(f.ofport()).isEmpty();
    assertThat(f.hostInterface()).isEmpty();
    assertThat(f.findings()).containsExactly(why);
  }
}
