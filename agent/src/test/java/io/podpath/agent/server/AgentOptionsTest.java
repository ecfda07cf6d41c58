package io.podpath.agent.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.podpath.agent.ip.IpPrefix;
import io.podpath.proto.grpc.HostPort;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The builder's defaults are the agent's flag defaults, and toBuilder changes only what it sets.
 */
class AgentOptionsTest {
  @Test
  void defaultsAreTheFlagsDefaults() {
    AgentOptions o = AgentOptions.builder("node1", Path.of("/run/openvswitch")).build();
    assertThat(o.listen()).isEqualTo(new HostPort("127.0.0.1", 0));
    assertThat(o.tls()).isEmpty();
    assertThat(o.hostNetns()).isEmpty();
    assertThat(o.maxConcurrentCalls()).isEqualTo(16);
    assertThat(o.cni()).as("--cni auto").isEmpty();
    assertThat(o.checkInterval()).isEqualTo(Duration.ZERO);
    assertThat(o.probeAllow()).isEmpty();
  }

  @Test
  void toBuilderKeepsEverythingItDoesNotSet() {
    AgentOptions o =
        AgentOptions.loopback("node2", Path.of("/x"), Optional.of(Path.of("/var/run/netns/n2")), 4)
            .toBuilder()
            .ovnSb(Optional.of("unix:/sb.sock"))
            .build();
    AgentOptions changed =
        o.toBuilder().probeAllow(List.of(IpPrefix.parse("198.51.100.0/24"))).build();
    assertThat(changed.probeAllow()).containsExactly(IpPrefix.parse("198.51.100.0/24"));
    assertThat(changed).usingRecursiveComparison().ignoringFields("probeAllow").isEqualTo(o);
    assertThat(changed.ovnSb()).contains("unix:/sb.sock");
  }
}
