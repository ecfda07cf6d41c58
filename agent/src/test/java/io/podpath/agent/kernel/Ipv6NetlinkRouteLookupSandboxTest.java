package io.podpath.agent.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import io.podpath.agent.exec.ProcessCommandRunner;
import io.podpath.agent.netns.NetnsExecutor;
import io.podpath.testkit.IpFamily;
import io.podpath.testkit.Pod;
import io.podpath.testkit.Sandbox;
import io.podpath.testkit.SandboxConfig;
import io.podpath.testkit.SandboxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * IPv6 route answers over rtnetlink (AF_INET6 RTM_GETROUTE) against {@code ip -6 -j route get} on a
 * real node of an IPv6-only sandbox: external, local, pod and refused destinations, forwarded
 * lookups from a pod through the management port, a mark and an unknown device answer alike.
 */
@ExtendWith(SandboxExtension.class)
@SandboxConfig(apps = false, nodes = 2, ipFamily = IpFamily.IPV6)
class Ipv6NetlinkRouteLookupSandboxTest {
  static Sandbox sandbox;
  static NetnsExecutor netns;
  static ProcessCommandRunner runner;

  @BeforeAll
  static void start(Sandbox s) {
    sandbox = s;
    netns = new NetnsExecutor(2);
    runner = new ProcessCommandRunner(netns, 4);
  }

  @AfterAll
  static void stop() {
    runner.close();
    netns.close();
  }

  record Query(IpAddr dst, Optional<IpAddr> from, Optional<String> iif, long mark) {}

  @Test
  void everyIpv6AnswerIsIproute2s() {
    Optional<Path> node1 = Optional.of(Path.of("/var/run/netns", sandbox.netns("node1")));
    Duration t = Duration.ofSeconds(10);
    RouteLookup ip = new IpRouteLookup(runner, node1, t);
    RouteLookup netlink =
        new NetlinkRouteLookup(
            netns,
            node1,
            t,
            (d, f, i, m) -> {
              throw new AssertionError("netlink fell back to ip for " + d);
            });
    IpAddr ext = ip(sandbox.externalIp(6));
    List<Query> queries = new ArrayList<>();
    for (String dst : List.of(sandbox.externalIp(6), sandbox.serviceIp(6), "::1", "2001:db8::9")) {
      queries.add(new Query(ip(dst), Optional.empty(), Optional.empty(), 0));
      queries.add(new Query(ip(dst), Optional.empty(), Optional.empty(), 0x10));
    }
    for (Pod p : sandbox.pods()) {
      IpAddr pod = ip(p.ip(6));
      queries.add(new Query(pod, Optional.empty(), Optional.empty(), 0));
      queries.add(new Query(ext, Optional.of(pod), Optional.of("ovn-k8s-mp0"), 0));
      queries.add(new Query(pod, Optional.of(ext), Optional.of("br-phy"), 0));
    }
    queries.add(new Query(ext, Optional.of(ip("fd00:10:244:1::3")), Optional.of("nosuch0"), 0));
    List<RouteAnswer> answers = new ArrayList<>();
    for (Query q : queries) {
      RouteAnswer want = ip.get(q.dst(), q.from(), q.iif(), q.mark());
      assertThat(netlink.get(q.dst(), q.from(), q.iif(), q.mark()))
          .as(q.toString())
          .isEqualTo(want);
      answers.add(want);
    }
    assertThat(answers)
        .anySatisfy(a -> assertThat(a).isInstanceOf(RouteAnswer.Unroutable.class))
        .anySatisfy(
            a ->
                assertThat(a)
                    .isInstanceOfSatisfying(
                        RouteAnswer.Route.class, r -> assertThat(r.type()).isEqualTo("local")))
        .anySatisfy(
            a ->
                assertThat(a)
                    .isInstanceOfSatisfying(
                        RouteAnswer.Route.class, r -> assertThat(r.gateway()).isPresent()));
    System.out.println("IPv6 route answers compared: " + answers);
  }

  private static IpAddr ip(String s) {
    return IpAddr.parse("test", s);
  }
}
