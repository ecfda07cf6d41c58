package io.podpath.agent.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.podpath.agent.trace.CtState;
import io.podpath.testkit.Node;
import io.podpath.testkit.Sandbox;
import io.podpath.testkit.SandboxConfig;
import io.podpath.testkit.SandboxExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Contradictory {@code ct_next} flags are refused by the agent exactly where the real ofproto/trace
 * refuses them: every one of the 255 non-empty flag sets is given to the sandbox's ovs-vswitchd,
 * and its verdict must match {@link TraceRequests#contradiction}. So a caller gets INVALID_ARGUMENT
 * naming ct_next[i] for each set OVS would have failed with its own text, and no set OVS accepts is
 * refused.
 */
@ExtendWith(SandboxExtension.class)
@SandboxConfig(nodes = 1, apps = false)
class CtNextAgreesWithOvsSandboxTest {

  @Test
  void theAgentRefusesExactlyTheFlagSetsOvsRefuses(Sandbox sb) throws Exception {
    Node n = sb.node("node1");
    String pid = Files.readString(n.ovsRundir().resolve("ovs-vswitchd.pid")).strip();
    Path ctl = n.ovsRundir().resolve("ovs-vswitchd." + pid + ".ctl");
    CtState[] all = CtState.values();
    List<String> disagreements = new ArrayList<>();
    int refusedByOvs = 0;
    for (int mask = 1; mask < 1 << all.length; mask++) {
      Set<CtState> set = EnumSet.noneOf(CtState.class);
      for (int i = 0; i < all.length; i++) {
        if ((mask & 1 << i) != 0) {
          set.add(all[i]);
        }
      }
      String flags = String.join(",", set.stream().map(CtState::flag).toList());
      Process p =
          new ProcessBuilder(
                  "ovs-appctl",
                  "-t",
                  ctl.toString(),
                  "ofproto/trace",
                  "br-int",
                  "in_port=1,tcp",
                  "--ct-next",
                  flags)
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
      boolean ovsRefuses = p.exitValue() != 0;
      if (ovsRefuses) {
        refusedByOvs++;
        // only the conntrack state may be what OVS objects to, else the comparison proves nothing
        assertThat(out).as(flags).contains("invalid connection state");
      }
      boolean weRefuse = TraceRequests.contradiction(set).isPresent();
      if (ovsRefuses != weRefuse) {
        disagreements.add(flags + " ovs=" + (ovsRefuses ? "refuses" : "accepts"));
      }
    }
    assertThat(refusedByOvs).as("sets OVS refuses").isGreaterThan(100);
    assertThat(disagreements).isEmpty();
  }
}
