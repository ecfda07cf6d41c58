package io.podpath.agent.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import io.podpath.agent.exec.ProcessCommandRunner;
import io.podpath.agent.netns.NetnsExecutor;
import io.podpath.testkit.Sandbox;
import io.podpath.testkit.SandboxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The kernel's route answers over rtnetlink held equal to iproute2's ({@code ip -j route get}) on
 * node1 of a real sandbox, for the queries a subclass lists for its address family; the netlink
 * lookup may never fall back to {@code ip}. The queries must cover what a trace meets: local
 * delivery, forwarding through a gateway, refusals.
 */
@ExtendWith(SandboxExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class RouteLookupAgreement {
  private Sandbox sandbox;
  private NetnsExecutor netns;
  private ProcessCommandRunner runner;

  record Query(IpAddr dst, Optional<IpAddr> from, Optional<String> iif, long mark) {
    static Query to(IpAddr dst, long mark) {
      return new Query(dst, Optional.empty(), Optional.empty(), mark);
    }

    /** A packet from {@code from} arriving on {@code iif}, forwarded by the node. */
    static Query forwarded(IpAddr dst, IpAddr from, String iif) {
      return new Query(dst, Optional.of(from), Optional.of(iif), 0);
    }
  }

  abstract List<Query> queries(Sandbox sb);

  @BeforeAll
  void start(Sandbox s) {
    sandbox = s;
    netns = new NetnsExecutor(2);
    runner = new ProcessCommandRunner(netns, 4);
  }

  @AfterAll
  void stop() {
    runner.close();
    netns.close();
  }

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
    List<RouteAnswer> answers = new ArrayList<>();
    for (Query q : queries(sandbox)) {
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
    System.out.println(getClass().getSimpleName() + " compared: " + answers);
  }

  static IpAddr ip(String s) {
    return IpAddr.parse("test", s);
  }
}
