package io.podpath.aggregator.util;

import static org.assertj.core.api.Assertions.assertThat;

import io.podpath.testkit.HostileInput;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.FieldSource;
import org.junit.jupiter.params.provider.ValueSource;

class IpLiteralTest {
  @ParameterizedTest
  @CsvSource({
    "10.244.1.3, 10.244.1.3",
    "' 10.96.0.10 ', 10.96.0.10",
    // RFC 5952: the agent, OVS, iproute2 and Kubernetes all print IPv6 this way
    "fd00:0:0:0:0:0:0:1, fd00::1",
    "FD00::A, fd00::a",
    "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
    "::1, ::1",
  })
  void canonicalText(String in, String expected) {
    assertThat(IpLiteral.canonical(in)).contains(expected);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "010.0.0.1", // octal or decimal: no clear standard, refused
        "::ffff:10.0.0.1", // would become an IPv4 address
        "fe80::1%eth0", // zone ids are not addresses of a cluster object
        "localhost",
        "web.default.svc",
        "٣.٣.٣.٣",
        "1.2.3",
        "",
      })
  void notAnIpLiteral(String in) {
    assertThat(IpLiteral.canonical(in)).isEmpty();
  }

  @ParameterizedTest
  @FieldSource("io.podpath.testkit.HostileInput#IPS")
  void hostileInputIsNoIp(String in) {
    assertThat(IpLiteral.isIp(in)).as(HostileInput.show(in)).isFalse();
  }

  @ParameterizedTest
  @CsvSource({"172.31.0.11/24, 172.31.0.11", "fd00::0:1/64, fd00::1", "10.0.0.1, 10.0.0.1"})
  void fromCidrDropsThePrefix(String in, String expected) {
    assertThat(IpLiteral.fromCidr(in)).contains(expected);
  }
}
