package io.podpath.agent.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.podpath.agent.errors.InvalidArgumentException;
import io.podpath.proto.v1.PodRef;
import org.junit.jupiter.api.Test;

class RequestValidatorTest {
  private static PodRef pod(String ns, String name) {
    return PodRef.newBuilder().setNamespace(ns).setName(name).build();
  }

  @Test
  void acceptsDns1123Names() {
    assertThat(RequestValidator.pod(pod("kube-system", "coredns-5d78c9869d-abcde"), "pod"))
        .extracting(k -> k.ifaceId())
        .isEqualTo("kube-system_coredns-5d78c9869d-abcde");
    assertThat(RequestValidator.pod(pod("a", "web.v1"), "pod").name()).isEqualTo("web.v1");
  }

  @Test
  void rejectsNamesThatAreNotDns1123NamingTheField() {
    for (String bad : new String[] {"", "A", "-a", "a_b", "a;rm -rf", "a b", "x".repeat(64)}) {
      assertThatThrownBy(() -> RequestValidator.pod(pod(bad, "web"), "source"))
          .isInstanceOfSatisfying(
              InvalidArgumentException.class,
              e -> assertThat(e.field()).isEqualTo("source.namespace"));
    }
    assertThatThrownBy(() -> RequestValidator.pod(pod("default", "web..1"), "pod"))
        .isInstanceOfSatisfying(
            InvalidArgumentException.class, e -> assertThat(e.field()).isEqualTo("pod.name"));
  }

  @Test
  void ipsAreLiteralsOnly() {
    assertThat(RequestValidator.ip("10.244.1.3", "ip").getHostAddress()).isEqualTo("10.244.1.3");
    assertThat(RequestValidator.ip("fd00::1", "ip").getHostAddress())
        .isEqualTo("fd00:0:0:0:0:0:0:1");
    for (String bad :
        new String[] {"", "localhost", "10.244.1", "1.2.3.4;ls", "fe80::1%eth0", "10.244.1.256"}) {
      assertThatThrownBy(() -> RequestValidator.ip(bad, "packet.dst_ip"))
          .isInstanceOfSatisfying(
              InvalidArgumentException.class,
              e -> assertThat(e.field()).isEqualTo("packet.dst_ip"));
    }
  }

  @Test
  void portsAre1To65535() {
    assertThat(RequestValidator.port(80, "p", false)).isEqualTo(80);
    assertThat(RequestValidator.port(0, "p", true)).isZero();
    assertThatThrownBy(() -> RequestValidator.port(0, "packet.dst_port", false))
        .hasMessageContaining("packet.dst_port");
    assertThatThrownBy(() -> RequestValidator.port(65536, "packet.src_port", true))
        .hasMessageContaining("packet.src_port");
  }
}
