package io.podpath.aggregator.alert;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The signed webhook against a loopback receiver; dedup and the outbox across restarts. */
// A try-with-resources block keeps a server running for its body without naming it.
@SuppressWarnings("try")
class WebhookAndRestartTest {
  private static final byte[] SECRET = "s3cret-key".getBytes(StandardCharsets.UTF_8);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final AlertKey KEY = new AlertKey("node1", "ip-forward");
  private static final Duration WAIT = Duration.ofSeconds(10);

  private static Alerting start(Path state, URI url) throws Exception {
    return Alerting.start(
        1,
        state,
        List.of(new WebhookSink(url, SECRET)),
        100,
        Duration.ofMillis(50),
        Duration.ofMillis(400),
        new SimpleMeterRegistry());
  }

  private static JsonNode verified(Receiver.Request r) throws Exception {
    String sig = Objects.requireNonNull(r.headers().get("X-podpath-signature")).get(0);
    assertThat(sig)
        .as("HMAC-SHA256 of the exact body under the shared secret")
        .isEqualTo(WebhookSink.signature(SECRET, r.body()));
    return JSON.readTree(r.body());
  }

  @Test
  void webhookIsSignedAndCarriesFiringThenResolved(@TempDir Path dir) throws Exception {
    try (Receiver rx = new Receiver();
        Alerting a =
            start(
                dir.resolve("state.json"), URI.create("http://127.0.0.1:" + rx.port() + "/hook"))) {
      Instant t = Instant.now();
      a.onSweep(List.of(AlertEngineTest.obs(KEY, "FAIL")), t);
      JsonNode firing = verified(rx.await(r -> r.text().contains("\"firing\""), WAIT));
      assertThat(firing.get("node").asText()).isEqualTo("node1");
      assertThat(firing.get("check").asText()).isEqualTo("ip-forward");
      assertThat(firing.get("summary").asText()).isEqualTo("ip-forward is FAIL");
      a.onSweep(List.of(AlertEngineTest.obs(KEY, "OK")), t.plusSeconds(30));
      JsonNode resolved = verified(rx.await(r -> r.text().contains("\"resolved\""), WAIT));
      assertThat(resolved.get("endsAt").asText()).isEqualTo(t.plusSeconds(30).toString());
      // a tampered body does not verify
      assertThat(WebhookSink.signature(SECRET, "{}".getBytes(StandardCharsets.UTF_8)))
          .isNotEqualTo(
              Objects.requireNonNull(rx.requests().get(0).headers().get("X-podpath-signature"))
                  .get(0));
    }
  }

  @Test
  void restartNeitherRepeatsNorForgets(@TempDir Path dir) throws Exception {
    Path state = dir.resolve("alert-state.json");
    Instant t = Instant.now();
    try (Receiver rx = new Receiver()) {
      URI url = URI.create("http://127.0.0.1:" + rx.port() + "/hook");
      try (Alerting a = start(state, url)) {
        a.onSweep(List.of(AlertEngineTest.obs(KEY, "FAIL")), t);
        rx.await(r -> r.text().contains("\"firing\""), WAIT);
      }
      try (Alerting b = start(state, url)) {
        b.onSweep(List.of(AlertEngineTest.obs(KEY, "FAIL")), t.plusSeconds(60));
        b.onSweep(List.of(AlertEngineTest.obs(KEY, "OK")), t.plusSeconds(120));
        rx.await(r -> r.text().contains("\"resolved\""), WAIT);
      }
      assertThat(rx.requests())
          .as("one firing, one resolved: no repeat after the restart")
          .extracting(r -> JSON.readTree(r.body()).get("status").asText())
          .containsExactly("firing", "resolved");
    }
    assertThat(Files.readString(state)).contains("\"alerts\" : [ ]");
  }

  @Test
  void outboxSurvivesAnOutageAndARestart(@TempDir Path dir) throws Exception {
    Path state = dir.resolve("alert-state.json");
    int port;
    try (Receiver probe = new Receiver()) {
      port = probe.port(); // a free loopback port; nothing listens there once closed
    }
    URI url = URI.create("http://127.0.0.1:" + port + "/hook");
    try (Alerting a = start(state, url)) {
      a.onSweep(List.of(AlertEngineTest.obs(KEY, "FAIL")), Instant.now());
      Thread.sleep(300); // a few failed attempts
    }
    assertThat(Files.readString(state)).contains("ip-forward").contains("outbox");
    try (Receiver rx = new Receiver(port);
        Alerting b = start(state, url)) {
      JsonNode n = verified(rx.await(r -> r.text().contains("\"firing\""), WAIT));
      assertThat(n.get("check").asText()).isEqualTo("ip-forward");
    }
  }
}
