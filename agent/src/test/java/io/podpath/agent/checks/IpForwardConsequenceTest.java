package io.podpath.agent.checks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** ip-forward's FAIL says what stops working from what the node shows, not from a CNI's name. */
class IpForwardConsequenceTest {
  private static final OvsSnapshot.Iface MGMT =
      new OvsSnapshot.Iface("mgmt0", "br-int", "internal", 2, "", "", "k8s-node2", "up");
  private static final OvsSnapshot.Iface POD =
      new OvsSnapshot.Iface("a1b2c3", "br-int", "", 3, "", "", "default_client", "up");

  @Test
  void anOvnNodeKeepsPodToPodAndLosesWhatTheHostRoutesThroughItsHostPort() {
    String s =
        IpForwardCheck.consequence(
            Optional.of(
                new OvsSnapshot(
                    List.of(), List.of(MGMT, POD), Map.of("ovn-remote", "tcp:10.0.0.1:6642"))));
    assertThat(s)
        .contains("pod-to-pod traffic through OVS and its tunnels keeps working")
        .contains("[mgmt0]")
        .contains("egress")
        .contains("NodePort")
        .doesNotContain("does not forward pod traffic");
  }

  @Test
  void aPlainOvsNodeSaysTheKernelRoutedPodTrafficIsDropped() {
    String s =
        IpForwardCheck.consequence(
            Optional.of(new OvsSnapshot(List.of(), List.of(MGMT, POD), Map.of())));
    assertThat(s).contains("pod traffic the kernel routes is dropped").contains("[mgmt0]");
    assertThat(s).doesNotContain("keeps working");
  }

  @Test
  void withoutOvsdbItSaysWhatIsUnknown() {
    assertThat(IpForwardCheck.consequence(Optional.empty())).contains("OVSDB unreadable");
  }
}
