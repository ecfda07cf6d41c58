package io.podpath.agent.checks;

import static org.assertj.core.api.Assertions.assertThat;

import io.podpath.testkit.Conntrack;
import io.podpath.testkit.Fault;
import io.podpath.testkit.Pod;
import io.podpath.testkit.Probe;
import io.podpath.testkit.Sandbox;
import io.podpath.testkit.SandboxExtension;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The sweep's fault knobs on a REAL IPv6-only sandbox of a CNI whose Services kube-proxy programs
 * on the host (ip6tables): each knob FAILs the right check on node2, naming the IPv6 object, as
 * {@link Ipv6ChecksSandboxTest} shows for the ovn mode. The subclass's {@code @SandboxConfig} picks
 * the mode (3 nodes, IPv6 only).
 */
@ExtendWith(SandboxExtension.class)
abstract class KubeProxyIpv6Faults {
  static Sandbox sandbox;
  static CheckMatrix m;

  @BeforeAll
  static void start(Sandbox s) throws Exception {
    sandbox = s;
    m = new CheckMatrix(s);
    if (s.spec().ipv6Underlay()) {
      m.encap = n -> n.ips().stream().filter(a -> a.contains(":")).findFirst().orElseThrow();
    }
  }

  /** The CNI's tunnel port, as the mtu check names it. */
  abstract String tunnelPort();

  /** What the tunnels check names when node2 loses its tunnel to node3. */
  abstract String missingTunnelToNode3();

  @AfterEach
  void emptyConntrack() {
    Conntrack.flush(sandbox);
  }

  @AfterAll
  static void stop() {
    m.close();
  }

  static boolean egress6(String node) {
    Pod c =
        sandbox.pods().stream()
            .filter(p -> p.node().equals(node) && p.name().startsWith("client-"))
            .findFirst()
            .orElseThrow();
    return sandbox
        .probe(c.namespace() + "/" + c.name(), "ext", Probe.tcp(80).inFamily(6))
        .delivered();
  }

  @Test
  void mtuFaultFailsMtuNamingTheTunnelPort() throws Exception {
    m.faultCase(Fault.MTU, Map.of("node2", Set.of("mtu")), Set.of(), tunnelPort());
  }

  @Test
  void ipv6ForwardingOffFailsIpForwardWhileIpv6EgressDies() throws Exception {
    // kube-proxy's Service path crosses node2's kernel: DNS through the VIP really dies too
    m.faultCase(
        Fault.IP6_FORWARD,
        null,
        Map.of("node2", Set.of("ip-forward")),
        Set.of("dns"),
        "net.ipv6.conf.all.forwarding=0",
        () -> assertThat(egress6("node2")).as("IPv6 egress of node2's pods").isFalse());
  }

  @Test
  void tunnelFaultFailsTunnelsNamingThePeer() throws Exception {
    m.mayAlsoFailOn = Map.of("node3", Set.of("dns"));
    try {
      m.faultCase(
          Fault.TUNNEL, Map.of("node2", Set.of("tunnels")), Set.of("dns"), missingTunnelToNode3());
    } finally {
      m.mayAlsoFailOn = Map.of();
    }
  }

  @Test
  void kubeProxyIpv6RuleRemovedFailsServiceProgramming() throws Exception {
    m.faultCase(
        Fault.LB_REMOVED,
        Map.of("node2", Set.of("service-programming")),
        Set.of(),
        "tcp [" + sandbox.serviceIp(6) + "]:80");
  }

  @Test
  void staleIpv6BackendFailsServiceProgrammingNamingIt() throws Exception {
    m.faultCase(
        Fault.STALE_BACKEND,
        Map.of("node2", Set.of("service-programming")),
        Set.of(),
        "fd00:10:244:2::99");
  }

  @Test
  void podPlumbingKnobsNameThePod() throws Exception {
    MatrixCases.interfaceNamesPodCase(m);
    m.faultCase(
        Fault.PORT_OFF_BRIDGE,
        Map.of("node2", Set.of("pod-plumbing")),
        Set.of(),
        "pod " + m.lastPod("node2"));
  }

  @Test
  void underlayNicWithoutCarrierFailsNic() throws Exception {
    MatrixCases.nicDownCase(m);
  }

  @Test
  void conntrackAdmittingNothingFailsConntrack() throws Exception {
    m.faultCase(
        Fault.CONNTRACK_FULL, Map.of("node2", Set.of("conntrack")), Set.of("dns"), "maxconns 0");
  }
}
