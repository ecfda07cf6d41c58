package io.podpath.agent.checks;

import static org.assertj.core.api.Assertions.assertThat;

import io.podpath.testkit.Conntrack;
import io.podpath.testkit.Fault;
import io.podpath.testkit.IpFamily;
import io.podpath.testkit.Pod;
import io.podpath.testkit.Probe;
import io.podpath.testkit.Sandbox;
import io.podpath.testkit.SandboxExtension;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A mode's fault matrix written once for every address family: the subclass's
 * {@code @SandboxConfig} picks mode and family, and the rows ask this class for the family's knob,
 * VIP, stale backend and real probes (IPv4 and IPv6 twins of the same case).
 */
@ExtendWith(SandboxExtension.class)
abstract class FamilyMatrix {
  static Sandbox sandbox;
  static CheckMatrix m;

  @BeforeAll
  static void start(Sandbox s) throws Exception {
    sandbox = s;
    m = new CheckMatrix(s);
  }

  /** Each case starts with OVS's userspace conntrack empty (see Ipv6ChecksSandboxTest). */
  @AfterEach
  void emptyConntrack() {
    Conntrack.flush(sandbox);
  }

  @AfterAll
  static void stop() {
    if (m != null) { // null when start() failed
      m.close();
    }
  }

  /** The sandbox's pod family, 4 or 6 (an IPv6-only sandbox is 6). */
  static int family() {
    return sandbox.spec().ipFamily() == IpFamily.IPV6 ? 6 : 4;
  }

  static Pod client(String node) {
    return sandbox.pods().stream()
        .filter(p -> p.node().equals(node) && p.name().startsWith("client-"))
        .findFirst()
        .orElseThrow();
  }

  /** A real TCP connection of {@code node}'s client pod to {@code dst}, in the family. */
  static boolean reaches(String node, String dst, int port) {
    Pod c = client(node);
    return sandbox
        .probe(c.namespace() + "/" + c.name(), dst, Probe.tcp(port).inFamily(family()))
        .delivered();
  }

  /**
   * The family's forwarding knob on node2 FAILs ip-forward there naming the sysctl, while that
   * node's pods really lose the external host; {@code mayAlsoFail}: node2's checks that see the
   * same kernel truly.
   */
  static void forwardingCase(Set<String> mayAlsoFail) throws Exception {
    boolean v6 = family() == 6;
    m.faultCase(
        v6 ? Fault.IP6_FORWARD : Fault.IP_FORWARD,
        null,
        Map.of("node2", Set.of("ip-forward")),
        mayAlsoFail,
        v6 ? "net.ipv6.conf.all.forwarding=0" : "/proc/sys/net/ipv4/ip_forward",
        () -> {
          assertThat(reaches("node2", "ext", 80)).as("egress of node2's pods").isFalse();
          assertThat(reaches("node1", "ext", 80)).as("egress of node1's pods").isTrue();
        });
  }

  /** The stale backend hack/sandbox stale-backend gives node {@code i}'s programming. */
  static String staleBackend(int i) {
    return family() == 6 ? "[fd00:10:244:" + i + "::99]:80" : "10.244." + i + ".99:80";
  }
}
