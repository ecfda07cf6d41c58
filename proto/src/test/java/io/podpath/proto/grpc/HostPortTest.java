package io.podpath.proto.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class HostPortTest {
  @Test
  void hostsIpsAndBracketedV6() {
    assertThat(HostPort.parse("aggregator.podpath:7400"))
        .isEqualTo(new HostPort("aggregator.podpath", 7400));
    assertThat(HostPort.parse("[fd00::1]:9443").host()).isEqualTo("fd00::1");
    assertThat(HostPort.parse("[fd00::1]:9443").target()).isEqualTo("[fd00::1]:9443");
    assertThat(HostPort.parseIp("0.0.0.0:0")).isEqualTo(new HostPort("0.0.0.0", 0));
    assertThat(HostPort.parseIp("[::]:9444").toString()).isEqualTo("[::]:9444");
  }

  @Test
  void badAddressesAreRefusedNamingTheProblem() {
    for (String bad :
        List.of("9443", ":9443", "host:", "fd00::1:9443", "host:port", "host:70000")) {
      assertThatThrownBy(() -> HostPort.parse(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageMatching(".*(HOST:PORT|brackets|not a number|0-65535).*");
    }
    assertThatThrownBy(() -> HostPort.parseIp("localhost:9443"))
        .hasMessageContaining("expected IP:PORT");
  }
}
