package io.podpath.common;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class Dns1123Test {
  @Test
  void labelsAreKubernetesNamespaces() {
    assertThat(Dns1123.isLabel("default")).isTrue();
    assertThat(Dns1123.isLabel("kube-system")).isTrue();
    assertThat(Dns1123.isLabel("a".repeat(63))).isTrue();
    assertThat(Dns1123.isLabel("a".repeat(64))).isFalse();
    assertThat(Dns1123.isLabel("-a")).isFalse();
    assertThat(Dns1123.isLabel("a-")).isFalse();
    assertThat(Dns1123.isLabel("a.b")).isFalse();
    assertThat(Dns1123.isLabel("Default")).isFalse();
    assertThat(Dns1123.isLabel("")).isFalse();
    assertThat(Dns1123.isLabel(null)).isFalse();
  }

  @Test
  void subdomainsArePodAndNodeNames() {
    assertThat(Dns1123.isSubdomain("web-1")).isTrue();
    assertThat(Dns1123.isSubdomain("ip-10-0-0-1.ec2.internal")).isTrue();
    assertThat(Dns1123.isSubdomain("a".repeat(253))).isTrue();
    assertThat(Dns1123.isSubdomain("a".repeat(254))).isFalse();
    assertThat(Dns1123.isSubdomain("a..b")).isFalse();
    assertThat(Dns1123.isSubdomain(".a")).isFalse();
    assertThat(Dns1123.isSubdomain("a.")).isFalse();
    assertThat(Dns1123.isSubdomain("Web_1")).isFalse();
    assertThat(Dns1123.isSubdomain("default; ls")).isFalse();
    assertThat(Dns1123.isSubdomain("")).isFalse();
  }
}
