package io.podpath.agent.checks;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FlowTunnelsTest {
  // a minimal dump in bridge/dump-flows' form (SdnChecksSandboxTest runs the real one)
  static final String DUMP =
      "duration=12s, n_packets=0, n_bytes=0, priority=100,ip,nw_dst=10.244.2.0/24,"
          + "cookie=0x1a2b3c4d,actions=move:NXM_NX_REG0[]->NXM_NX_TUN_ID[0..31],"
          + "set_field:172.31.99.12->tun_dst,output:1\n"
          + "duration=12s, n_packets=0, n_bytes=0, table=111, priority=100,"
          + "actions=move:NXM_NX_REG0[]->NXM_NX_TUN_ID[0..31],set_field:172.31.99.12->tun_dst,"
          + "output:1,set_field:172.31.99.13->tun_dst,output:1,goto_table:120\n"
          + "duration=12s, n_packets=0, n_bytes=0, table=90, priority=0,actions=drop\n";

  @Test
  void aPeerCountsOnlyThroughAFlowThatSendsToItAlone() {
    // node3 is only in the multicast fan-out: its HostSubnet flows are gone
    assertThat(FlowTunnels.peers(DUMP)).containsExactly("172.31.99.12");
  }

  @Test
  void noFlowNoPeer() {
    assertThat(FlowTunnels.peers("priority=0,actions=drop\n")).isEmpty();
  }
}
