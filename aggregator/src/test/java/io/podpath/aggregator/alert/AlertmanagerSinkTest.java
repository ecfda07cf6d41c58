package io.podpath.aggregator.alert;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Alerts reach a REAL Alertmanager (Debian's, started here on loopback, killed after). */
class AlertmanagerSinkTest {
  private static final AlertKey MTU = new AlertKey("node2", "mtu");
  private static final Duration WAIT = Duration.ofSeconds(20);

  private static int freePort() throws Exception {
    try (java.net.ServerSocket s =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static Alerting alerting(Path state, java.net.URI am) throws Exception {
    return Alerting.start(
        2,
        state,
        List.of(new AlertmanagerSink(am, "")),
        100,
        Duration.ofMillis(100),
        Duration.ofMillis(500),
        new SimpleMeterRegistry());
  }

  @Test
  void firingThenResolvedAsAlertmanagerSeesIt(@TempDir Path dir) throws Exception {
    try (Receiver rx = new Receiver();
        AlertmanagerProcess am = new AlertmanagerProcess(freePort(), dir.resolve("am"), rx.port());
        Alerting a = alerting(dir.resolve("state.json"), am.base())) {
      Instant t = Instant.now();
      a.onSweep(List.of(AlertEngineTest.obs(MTU, "FAIL")), t);
      a.onSweep(List.of(AlertEngineTest.obs(MTU, "FAIL")), t.plusSeconds(1));
      Receiver.Request firing = rx.await(r -> r.text().contains("\"status\":\"firing\""), WAIT);
      assertThat(firing.text())
          .contains("\"alertname\":\"PodpathCheckFailing\"")
          .contains("\"node\":\"node2\"")
          .contains("\"check\":\"mtu\"")
          .contains("\"severity\":\"critical\"");
      assertThat(am.alerts()).contains("\"node\":\"node2\"").contains("\"state\":\"active\"");

      a.onSweep(List.of(AlertEngineTest.obs(MTU, "OK")), Instant.now());
      Receiver.Request resolved = rx.await(r -> r.text().contains("\"status\":\"resolved\""), WAIT);
      assertThat(resolved.text()).contains("\"check\":\"mtu\"");
    }
  }

  @Test
  void alertmanagerDownDuringTheFaultStillReceivesItWhenBack(@TempDir Path dir) throws Exception {
    int amPort = freePort();
    try (Receiver rx = new Receiver();
        Alerting a =
            alerting(
                dir.resolve("state.json"), java.net.URI.create("http://127.0.0.1:" + amPort))) {
      Instant t = Instant.now();
      // Alertmanager runs while all is well, then stops; the fault happens while it is down.
      try (AlertmanagerProcess am = new AlertmanagerProcess(amPort, dir.resolve("am"), rx.port())) {
        a.onSweep(List.of(AlertEngineTest.obs(MTU, "OK")), t);
        assertThat(am.alerts()).doesNotContain("\"check\":\"mtu\"");
      }
      a.onSweep(List.of(AlertEngineTest.obs(MTU, "FAIL")), t.plusSeconds(1));
      a.onSweep(List.of(AlertEngineTest.obs(MTU, "FAIL")), t.plusSeconds(2));
      Thread.sleep(800); // Alertmanager is down: the sink retries with backoff
      try (AlertmanagerProcess am = new AlertmanagerProcess(amPort, dir.resolve("am"), rx.port())) {
        rx.await(r -> r.text().contains("\"status\":\"firing\""), WAIT);
        assertThat(am.alerts()).contains("\"check\":\"mtu\"");
        a.onSweep(List.of(AlertEngineTest.obs(MTU, "OK")), Instant.now());
        rx.await(r -> r.text().contains("\"status\":\"resolved\""), WAIT);
      }
    }
  }
}
