package io.podpath.agent.trace;

import static org.assertj.core.api.Assertions.assertThat;

import io.podpath.agent.exec.CommandResult;
import io.podpath.agent.ip.IpLiteral;
import io.podpath.agent.kernel.IpAddr;
import io.podpath.agent.kernel.IpRouteLookup;
import io.podpath.agent.kernel.KernelHopOutcome;
import io.podpath.agent.kernel.NodeAccess;
import io.podpath.agent.kernel.RouteAnswer;
import io.podpath.agent.kernel.RouteLookup;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The kernel stage after OVS on sandbox node1's RECORDED iptables-save, ip -j addr and ip -j route
 * get (hack/fixtures/kernel.sh, agent-core.sh): which OVS outcomes enter the kernel, the drop it
 * turns into, and when node facts are read again.
 */
class KernelStageTest {
  static final RouteAnswer EGRESS =
      IpRouteLookup.parse(TraceFixtures.readPath("/fixtures/kernel/route-get-ovn-egress.json"));
  static final RouteAnswer REVERSE =
      IpRouteLookup.parse(TraceFixtures.readPath("/fixtures/kernel/route-get-ovn-reverse.json"));
  static final HostSidePorts PORTS =
      new HostSidePorts(
          Map.of(
              "ovn-k8s-mp0", new HostSidePorts.Port("ovn-k8s-mp0", "br-int", 1),
              "br-phy", new HostSidePorts.Port("br-phy", "br-phy", 65534)));

  final Map<String, String> files = new HashMap<>(Map.of("/proc/sys/net/ipv4/ip_forward", "1\n"));
  final AtomicInteger saves = new AtomicInteger();
  final Instant soon = Instant.now().plus(Duration.ofMinutes(5));
  final List<Instant> accessBoundTo = new ArrayList<>();
  final List<Instant> routesBoundTo = new ArrayList<>();
  String neighbour = "ext";
  final NodeAccess node =
      new NodeAccess() {
        @Override
        public Optional<String> read(String path) {
          return Optional.ofNullable(files.get(path));
        }

        @Override
        public CommandResult run(List<String> argv) {
          String out;
          if (argv.contains("neigh")) {
            out = TraceFixtures.readPath("/fixtures/kernel/neigh-ovn-" + neighbour + ".json");
          } else if (argv.get(0).equals("iptables-save")) {
            saves.incrementAndGet();
            out = TraceFixtures.readPath("/fixtures/kernel/iptables-save-ovn-node1.txt");
          } else {
            out = TraceFixtures.readPath("/fixtures/agent-core/node-ip-addr.json");
          }
          return new CommandResult(argv, 0, out, "", false, Duration.ZERO);
        }

        @Override
        public NodeAccess until(Instant deadline) {
          accessBoundTo.add(deadline);
          return this;
        }
      };
  final RouteLookup routes =
      new RouteLookup() {
        @Override
        public RouteAnswer get(IpAddr dst, Optional<IpAddr> from, Optional<String> iif, long mark) {
          return dst.equals(IpAddr.parse("dst", "10.244.1.3")) ? REVERSE : EGRESS;
        }

        @Override
        public RouteLookup until(Instant deadline) {
          routesBoundTo.add(deadline);
          return this;
        }
      };
  final KernelStage stage =
      new KernelStage("node1", node, routes, Duration.ofDays(1), Clock.systemUTC());

  static PacketHeaders toExt() {
    return new PacketHeaders(
        IpLiteral.tryParse("10.244.1.3").orElseThrow(),
        IpLiteral.tryParse("172.31.21.200")
            .orElseThrow(), // ext of the sandbox neigh-ovn-ext.json was recorded on
        L4Protocol.TCP,
        40000,
        80,
        0,
        0,
        Optional.empty(),
        Optional.empty(),
        64);
  }

  static TraceSpec spec() {
    return new TraceSpec(
        new TraceSpec.FromPod(new PodName("default", "client-1")), toExt(), List.of(), false);
  }

  static Outcome toMp0() {
    return Outcome.port(
        Outcome.Kind.HOST, "output to the host", "ovn-k8s-mp0", 1, Optional.empty());
  }

  @Test
  void routedToTheGatewayBridgesLocalPortItGoesBackToOvsThere() {
    // sandbox node1's uplink route leaves by br-phy: the gateway bridge's LOCAL (internal) port
    Optional<KernelPart> k = stage.after(toMp0(), PORTS, toExt(), spec(), new ArrayList<>(), soon);
    assertThat(k).isPresent();
    assertThat(k.get().enteredBy()).isEqualTo("ovn-k8s-mp0");
    assertThat(k.get().hop()).isInstanceOf(KernelHopOutcome.BackToOvs.class);
    assertThat(k.get().backTo()).hasValue(new HostSidePorts.Port("br-phy", "br-phy", 65534));
    assertThat(k.get().nextHopMac()).hasValue("ba:a6:e5:a6:5e:7f");
    assertThat(KernelStage.outcome(toMp0(), k)).isEqualTo(toMp0());
  }

  @Test
  void anUnresolvedNextHopIsAFindingNotAGuessedMac() {
    neighbour = "none";
    List<TraceFinding> findings = new ArrayList<>();
    Optional<KernelPart> k = stage.after(toMp0(), PORTS, toExt(), spec(), findings, soon);
    assertThat(k.orElseThrow().nextHopMac()).isEmpty();
    assertThat(findings).extracting(TraceFinding::code).contains("kernel-neighbour-unresolved");
  }

  @Test
  void routedOutADeviceOvsDoesNotOwnItIsForwarded() {
    HostSidePorts mp0Only =
        new HostSidePorts(
            Map.of("ovn-k8s-mp0", new HostSidePorts.Port("ovn-k8s-mp0", "br-int", 1)));
    Optional<KernelPart> k =
        stage.after(toMp0(), mp0Only, toExt(), spec(), new ArrayList<>(), soon);
    assertThat(k.orElseThrow().hop()).isInstanceOf(KernelHopOutcome.Forwarded.class);
    assertThat(k.get().backTo()).isEmpty();
  }

  @Test
  void otherOutcomesNeverEnterTheKernel() {
    Outcome veth =
        Outcome.port(Outcome.Kind.OTHER_PORT, "output to port", "eth0", 1, Optional.empty());
    Outcome pod =
        Outcome.port(Outcome.Kind.LOCAL_POD, "output to pod", "ovn-k8s-mp0", 1, Optional.empty());
    assertThat(stage.after(veth, PORTS, toExt(), spec(), new ArrayList<>(), soon)).isEmpty();
    assertThat(stage.after(pod, PORTS, toExt(), spec(), new ArrayList<>(), soon)).isEmpty();
    assertThat(saves).hasValue(0);
  }

  @Test
  void aKernelDropMakesTheNodesOutcomeDroppedWithItsCode() {
    files.put("/proc/sys/net/ipv4/ip_forward", "0\n");
    Optional<KernelPart> k = stage.after(toMp0(), PORTS, toExt(), spec(), new ArrayList<>(), soon);
    Outcome o = KernelStage.outcome(toMp0(), k);
    assertThat(o.kind()).isEqualTo(Outcome.Kind.DROPPED);
    assertThat(o.summary()).isEqualTo("ip_forward is 0 on node1");
    assertThat(o.portName()).isEqualTo("ovn-k8s-mp0");
    assertThat(o.drop().orElseThrow().causeCode()).isEqualTo("ip-forward-off");
  }

  @Test
  void factsAreCachedUntilTheHostSidePortsChange() {
    stage.after(toMp0(), PORTS, toExt(), spec(), new ArrayList<>(), soon);
    stage.after(toMp0(), PORTS, toExt(), spec(), new ArrayList<>(), soon);
    assertThat(saves).hasValue(1);
    HostSidePorts more =
        new HostSidePorts(
            Map.of(
                "ovn-k8s-mp0", new HostSidePorts.Port("ovn-k8s-mp0", "br-int", 1),
                "br-int", new HostSidePorts.Port("br-int", "br-int", 65534)));
    Optional<KernelPart> k = stage.after(toMp0(), more, toExt(), spec(), new ArrayList<>(), soon);
    assertThat(saves).hasValue(2);
    assertThat(Set.copyOf(more.names())).contains("br-int");
    assertThat(k).isPresent();
  }

  @Test
  void theKernelHopIsBoundedByTheTracesOwnDeadline() {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(42));
    stage.after(toMp0(), PORTS, toExt(), spec(), new ArrayList<>(), deadline);
    assertThat(accessBoundTo).containsOnly(deadline);
    assertThat(routesBoundTo).containsOnly(deadline);
  }

  @Test
  void causeCodesAreStable() {
    assertThat(
            KernelStage.code(
                new KernelHopOutcome.Cause.NoRoute("n", IpAddr.parse("d", "1.2.3.4"), "")))
        .isEqualTo("no-route");
    assertThat(KernelStage.code(new KernelHopOutcome.Cause.ConntrackFull("n", 2, 2)))
        .isEqualTo("conntrack-full");
    assertThat(KernelStage.code(new KernelHopOutcome.Cause.TooBig("n", "eth0", 1600, 1500)))
        .isEqualTo("too-big");
  }
}
