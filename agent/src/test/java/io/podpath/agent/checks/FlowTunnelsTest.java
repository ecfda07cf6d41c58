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

  /** Antrea's L3Forwarding flows, as bridge/dump-flows printed them on --mode antrea. */
  static final String ANTREA =
      "cookie=0x1020000000000, duration=40.310s, table=70, n_packets=8, n_bytes=544,"
          + " priority=200,ip,nw_dst=10.244.2.0/24 actions=dec_ttl,"
          + "set_field:0a:58:0a:f4:01:01->eth_src,set_field:aa:bb:cc:dd:ee:ff->eth_dst,"
          + "load:0x1->NXM_NX_REG1[],load:0x1->NXM_NX_REG0[16],"
          + "load:0xac1f210c->NXM_NX_TUN_IPV4_DST[],goto_table:105\n"
          + "cookie=0x1020000000000, duration=40.310s, table=70, n_packets=7, n_bytes=3216,"
          + " priority=200,ip,nw_dst=10.244.3.0/24 actions=dec_ttl,"
          + "set_field:0a:58:0a:f4:01:01->eth_src,set_field:aa:bb:cc:dd:ee:ff->eth_dst,"
          + "load:0x1->NXM_NX_REG1[],load:0x1->NXM_NX_REG0[16],"
          + "load:0xac1f210d->NXM_NX_TUN_IPV4_DST[],goto_table:105\n";

  @Test
  void antreasLoadIntoTunIpv4DstNamesThePeer() {
    assertThat(FlowTunnels.peers(ANTREA)).containsExactly("172.31.33.12", "172.31.33.13");
  }

  /**
   * IPv6 peers written with set_field:IPV6->tun_ipv6_dst and with one 128-bit load, as OVS 3.1's
   * bridge/dump-flows printed both (two 64-bit loads, low half first) on the sandbox.
   */
  static final String IPV6 =
      "table_id=77, duration=0s, n_packets=0, n_bytes=0, priority=100,ip,nw_dst=10.244.2.0/24,"
          + "actions=load:0x12->NXM_NX_TUN_IPV6_DST[0..63],"
          + "load:0xfd00017200310027->NXM_NX_TUN_IPV6_DST[64..127],output:1\n"
          + "table_id=77, duration=0s, n_packets=0, n_bytes=0, priority=100,ip,nw_dst=10.244.3.0/24,"
          + "actions=load:0x13->NXM_NX_TUN_IPV6_DST[0..63],"
          + "load:0xfd00017200310027->NXM_NX_TUN_IPV6_DST[64..127],output:1\n";

  @Test
  void ipv6TunDstNamesThePeerInItsCanonicalForm() {
    assertThat(FlowTunnels.peers(IPV6)).containsExactly("fd00:172:31:27::12", "fd00:172:31:27::13");
  }

  /**
   * Antrea's L3Forwarding over an IPv6 underlay ({@code --mode antrea --underlay ipv6}), as OVS
   * 3.1's bridge/dump-flows printed it on the sandbox: the flows were written with set_field.
   */
  static final String ANTREA_IPV6_UNDERLAY =
      "table_id=70, duration=585s, n_packets=4, n_bytes=294, priority=200,ip,"
          + "nw_dst=10.244.2.0/24,actions=dec_ttl,set_field:0a:58:0a:f4:01:01->eth_src,"
          + "set_field:aa:bb:cc:dd:ee:ff->eth_dst,load:0x1->NXM_NX_REG1[],"
          + "load:0x1->NXM_NX_REG0[16],set_field:fd00:172:31:31::12->tun_ipv6_dst,"
          + "goto_table:105\n"
          + "table_id=70, duration=585s, n_packets=4, n_bytes=374, priority=200,ipv6,"
          + "ipv6_dst=fd00:10:244:2::/64,actions=dec_ttl,set_field:0a:58:0a:f4:01:01->eth_src,"
          + "set_field:aa:bb:cc:dd:ee:ff->eth_dst,load:0x1->NXM_NX_REG1[],"
          + "load:0x1->NXM_NX_REG0[16],set_field:fd00:172:31:31::12->tun_ipv6_dst,"
          + "goto_table:105\n";

  @Test
  void antreasSetFieldIntoTunIpv6DstNamesThePeer() {
    assertThat(FlowTunnels.peers(ANTREA_IPV6_UNDERLAY)).containsExactly("fd00:172:31:31::12");
  }
}
