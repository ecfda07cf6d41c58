package io.podpath.agent.trace;

import static io.podpath.agent.trace.TraceFixtures.read;
import static io.podpath.agent.trace.TraceFixtures.why;
import static org.assertj.core.api.Assertions.assertThat;

import io.podpath.agent.ovsdb.OvsState;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An outside host's packet to node1's NodePort on OVN-Kubernetes' shared gateway, recorded by
 * hack/fixtures/trace-shared-gateway.sh: it enters breth0 by the NIC, crosses the patch into br-int
 * and stops at GR_node1's load balancer group. ofproto/trace heads the resumed pass with breth0,
 * the bridge it started on, but the pass runs in br-int, which holds the group (breth0 has none):
 * the group is read from br-int and the continuation starts at br-int's patch port.
 */
class SharedGatewayNodePortTest {
  private static final String DIR = "shared-gateway/";
  private static final String STOP = DIR + "nodeport-tcp-node1.txt";
  private static final String BR_INT_GROUPS = DIR + "groups-br-int-node1.txt";
  private static final String BRETH0_GROUPS = DIR + "groups-breth0-node1.txt";

  private static ParsedTrace stop() {
    return TraceOutputParser.parse(read(STOP));
  }

  private static long ofport(String name) {
    return FixtureRows.interfaces(DIR + "interfaces-node1.json").interfaces().stream()
        .filter(i -> i.name().equals(name))
        .map(OvsState.OvsInterface::ofport)
        .findFirst()
        .orElseThrow()
        .orElseThrow();
  }

  @Test
  void theResumedPassRunsInTheBridgeThatFrozeIt() {
    ParsedTrace p = stop();
    assertThat(p.bridge()).as(why(STOP)).isEqualTo("breth0");
    assertThat(p.passes()).as(why(STOP)).hasSizeGreaterThan(1);
    // the first pass crosses breth0's patch into br-int; every resumed pass goes on in br-int
    assertThat(p.passes().get(0).steps()).extracting(TraceStep::bridge).contains("breth0");
    for (TracePass pass : p.passes().subList(1, p.passes().size())) {
      assertThat(pass.steps()).as(why(STOP)).extracting(TraceStep::bridge).containsOnly("br-int");
    }
  }

  @Test
  void theGroupIsBrIntsAndTheContinuationStartsAtItsPatchPort() throws Exception {
    ParsedTrace p = stop();
    int group = LbContinuation.stoppedGroup(p).orElseThrow();
    assertThat(LbContinuation.groupBridge(p, group)).as(why(STOP)).contains("br-int");
    int patch = (int) ofport("patch-br-int-to-breth0_node1");
    assertThat(LbContinuation.stoppedInPort(p)).as(why(STOP)).contains(patch);
    assertThat(LbContinuation.start(p, group, "breth0", (int) ofport("eth0")))
        .as(why(STOP))
        .contains(new LbContinuation.Start("br-int", patch, true));
    assertThat(read(BRETH0_GROUPS)).as(why(BRETH0_GROUPS)).doesNotContain("group_id=");
    for (String backend : List.of("10.244.1.3", "10.244.2.3")) {
      List<String> why = new ArrayList<>();
      LbContinuation.Bucket b =
          LbContinuation.bucket(
                  read(BR_INT_GROUPS),
                  group,
                  new LbBackend(InetAddress.getByName(backend), 80),
                  why)
              .orElseThrow();
      assertThat(b.actions()).as(why(BR_INT_GROUPS)).contains("nat(dst=" + backend + ":80)");
      // GR's buckets also mark the connection for the force-SNAT to its join address
      assertThat(b.ctMark() & 0x8).as(why(BR_INT_GROUPS)).isEqualTo(0x8);
      assertThat(why).isEmpty();
    }
  }
}
