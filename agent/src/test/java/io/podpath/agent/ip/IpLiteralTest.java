package io.podpath.agent.ip;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IpLiteralTest {
  @Test
  void hostPortBracketsIpv6AndWritesItCanonically() {
    assertThat(IpLiteral.hostPort(IpLiteral.tryParse("10.244.2.3").orElseThrow(), 80))
        .isEqualTo("10.244.2.3:80");
    assertThat(IpLiteral.hostPort(IpLiteral.tryParse("fd00:10:244:2:0:0:0:3").orElseThrow(), 53))
        .isEqualTo("[fd00:10:244:2::3]:53");
  }
}
