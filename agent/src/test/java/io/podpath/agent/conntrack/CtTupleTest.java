package io.podpath.agent.conntrack;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CtTupleTest {
  @Test
  void ipv6AddressesAreBracketedBeforeTheirPorts() {
    assertThat(new CtTuple("tcp", "fd00:10:244:1::3", "fd00:10:96::10", 40000, 80))
        .hasToString("tcp [fd00:10:244:1::3]:40000 > [fd00:10:96::10]:80");
    assertThat(new CtTuple("udp", "10.244.1.3", "10.96.0.10", 40000, 53))
        .hasToString("udp 10.244.1.3:40000 > 10.96.0.10:53");
    assertThat(new CtTuple("icmpv6", "fd00::1", "fd00::2", 0, 0))
        .hasToString("icmpv6 fd00::1 > fd00::2");
  }
}
