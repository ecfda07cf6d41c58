package io.podpath.agent.trace;

import static org.assertj.core.api.Assertions.assertThat;

import io.podpath.agent.ovsdb.OvsState;
import io.podpath.agent.ovsdb.Remote;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OvnLinkTest {
  @Test
  void clusteredRemoteListsKeepEverySpeakableMember() {
    assertThat(OvnLink.supported("ssl:10.0.0.1:6642,tcp:10.0.0.2:6642,tcp:[fd00::3]:6642,unix:/x"))
        .extracting(Remote::toString)
        .containsExactly("tcp:10.0.0.2:6642", "tcp:[fd00::3]:6642", "unix:/x");
    assertThat(OvnLink.supported("")).isEmpty();
  }

  @Test
  void northboundIsGuessedNextToTheSouthbound() {
    assertThat(OvnLink.guessNb(Remote.parse("tcp:172.31.3.2:6642")).map(Remote::toString))
        .contains("tcp:172.31.3.2:6641");
    assertThat(
            OvnLink.guessNb(Remote.parse("unix:/var/run/ovn/ovnsb_db.sock")).map(Remote::toString))
        .contains("unix:/var/run/ovn/ovnnb_db.sock");
    assertThat(OvnLink.guessNb(Remote.parse("tcp:172.31.3.2:16642"))).isEmpty();
  }

  @Test
  void sslOnlyRemoteIsAFindingAndNoSession() {
    OvsState ovs =
        new OvsState(
            new OvsState.OvsSystem("", "", Map.of("ovn-remote", "ssl:10.0.0.1:6642"), List.of()),
            List.of(),
            List.of(),
            List.of());
    List<TraceFinding> findings = new ArrayList<>();
    try (OvnLink link = new OvnLink(Optional.empty(), Optional.empty())) {
      assertThat(link.open(ovs, Duration.ofSeconds(1), findings)).isEmpty();
    }
    assertThat(findings).extracting(TraceFinding::code).containsExactly("ovn-remote-unsupported");
  }
}
