package io.podpath.agent.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import io.podpath.agent.exec.ProcessCommandRunner;
import io.podpath.agent.netns.NetnsExecutor;
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
 * The kernel's route answers over rtnetlink against {@code ip -j route get} on a real node: local,
 * remote and external destinations, forwarded lookups ({@code from}, {@code iif}), a mark, an
 * unknown device and a refused lookup all answer alike.
 */
@ExtendWith(SandboxExtension.class)
@SandboxConfig(apps = false)
class NetlinkRouteLookupSandboxTest {
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
  void everyAnswerIsIproute2s() {
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
    List<Query> queries = new ArrayList<>();
    for (String dst :
        List.of(
            sandbox.externalIp(),
            sandbox.nodeIp("node1"),
            sandbox.nodeIp("node2"),
            sandbox.serviceIp(),
            "127.0.0.1",
            "203.0.113.9")) {
      queries.add(new Query(ip(dst), Optional.empty(), Optional.empty(), 0));
      queries.add(new Query(ip(dst), Optional.empty(), Optional.empty(), 0x10));
    }
    for (Pod p : sandbox.pods()) {
      queries.add(new Query(ip(p.ip()), Optional.empty(), Optional.empty(), 0));
      // a pod's packet forwarded by the node: from the pod, in through the management port
      queries.add(
          new Query(
              ip(sandbox.externalIp()), Optional.of(ip(p.ip())), Optional.of("ovn-k8s-mp0"), 0));
      // the same from a device it does not arrive on (rp_filter's question)
      queries.add(
          new Query(ip(sandbox.externalIp()), Optional.of(ip(p.ip())), Optional.of("br-phy"), 0));
    }
    queries.add(
        new Query(
            ip(sandbox.externalIp()), Optional.of(ip("10.244.1.3")), Optional.of("nosuch0"), 0));
    List<RouteAnswer> answers = new ArrayList<>();
    for (Query q : queries) {
      RouteAnswer want = ip.get(q.dst(), q.from(), q.iif(), q.mark());
      assertThat(netlink.get(q.dst(), q.from(), q.iif(), q.mark()))
          .as(q.toString())
          .isEqualTo(want);
      answers.add(want);
    }
    // the queries cover what a trace meets: local delivery, forwarding, refusals
    assertThat(answers)
        .anySatisfy(a -> assertThat(a).isInstanceOf(RouteAnswer.Unroutable.class))
        .anySatisfy(a -> assertThat(a).isEqualTo(localRoute(answers)))
        .anySatisfy(
            a ->
                assertThat(a)
                    .isInstanceOfSatisfying(
                        RouteAnswer.Route.class, r -> assertThat(r.gateway()).isPresent()));
    System.out.println("route answers compared: " + answers);
  }

  private static RouteAnswer localRoute(List<RouteAnswer> answers) {
    return answers.stream()
        .filter(a -> a instanceof RouteAnswer.Route r && r.type().equals("local"))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no local route among " + answers));
  }

  private static IpAddr ip(String s) {
    return IpAddr.parse("test", s);
  }
}
