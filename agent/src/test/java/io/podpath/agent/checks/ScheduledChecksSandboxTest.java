package io.podpath.agent.checks;

import static org.assertj.core.api.Assertions.assertThat;

import io.podpath.agent.server.AgentOptions;
import io.podpath.agent.server.AgentRuntime;
import io.podpath.testkit.Fault;
import io.podpath.testkit.Node;
import io.podpath.testkit.Sandbox;
import io.podpath.testkit.SandboxConfig;
import io.podpath.testkit.SandboxExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An agent with --check-interval on a real node, asked nothing over gRPC: its /metrics follow the
 * node's real state (ip_forward turned off and on again) from its own rounds alone.
 */
@ExtendWith(SandboxExtension.class)
@SandboxConfig(apps = false)
class ScheduledChecksSandboxTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  static Sandbox sandbox;
  static AgentRuntime agent;

  @BeforeAll
  static void start(Sandbox s) throws Exception {
    sandbox = s;
    Node n = s.node("node1");
    agent =
        AgentRuntime.start(
            AgentOptions.loopback(
                    n.name(), n.ovsRundir(), Optional.of(Path.of("/var/run/netns", n.netns())), 8)
                .toBuilder()
                .checkInterval(Duration.ofSeconds(1))
                .build());
  }

  @AfterAll
  static void stop() {
    if (agent != null) {
      agent.close();
    }
  }

  @Test
  void metricsFollowTheNodeWithoutAnyRunChecks() throws Exception {
    String healthy =
        awaitMetrics(
            m -> status(m, "ip-forward", "ok") && m.contains("podpath_check_status{check=\"dns\""),
            "a whole round");
    // Without the cluster's facts no check may cry wolf: the shipped rules alert on FAIL and WARN.
    assertThat(healthy.lines().filter(l -> l.startsWith("podpath_check_status{")))
        .as(healthy)
        .noneMatch(l -> l.matches(".*status=\"(fail|warn|unknown)\"} 1\\.0"));
    // No aggregator told it the cluster's facts: the age says so rather than pretending.
    assertThat(healthy).contains("podpath_check_cluster_facts_age_seconds NaN");
    assertThat(healthy)
        .containsPattern("podpath_check_scheduled_rounds_total\\{outcome=\"ran\"} [1-9]");
    sandbox.breakFault(Fault.IP_FORWARD, "node1");
    try {
      String broken = awaitMetrics(m -> status(m, "ip-forward", "fail"), "ip-forward fail");
      assertThat(broken)
          .containsPattern(
              "podpath_check_info\\{check=\"ip-forward\",status=\"fail\",summary=\"[^\"]*ip_forward");
      assertThat(status(broken, "ip-forward", "ok")).isFalse();
    } finally {
      sandbox.fix(Fault.IP_FORWARD, "node1");
    }
    awaitMetrics(m -> status(m, "ip-forward", "ok"), "ip-forward ok again");
  }

  /** The gauge line of {@code check} at {@code status} says 1. */
  private static boolean status(String metrics, String check, String status) {
    String series = "podpath_check_status{check=\"" + check + "\",status=\"" + status + "\"} 1.0";
    return metrics.lines().anyMatch(l -> l.equals(series));
  }

  private static String awaitMetrics(Predicate<String> done, String what) throws Exception {
    Instant end = Instant.now().plus(WAIT);
    String last = "";
    while (Instant.now().isBefore(end)) {
      last =
          HTTP.send(
                  HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + agent.httpPort() + "/metrics"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      if (done.test(last)) {
        return last;
      }
      Thread.sleep(200);
    }
    throw new AssertionError(
        "no scheduled round showed " + what + " within " + WAIT + "; last scrape:\n" + last);
  }
}
