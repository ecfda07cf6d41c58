package io.podpath.aggregator.alert;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;

class AlertEngineTest {
  private static final AlertKey MTU2 = new AlertKey("node2", "mtu");
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  static Observation obs(AlertKey k, String status) {
    return new Observation(k, status, k.check() + " is " + status, "fix it");
  }

  @Test
  void pendingForNSweepsThenFiringOnceThenResolvedOnce() {
    AlertEngine e = new AlertEngine(3, Map.of());
    assertThat(e.observe(List.of(obs(MTU2, "FAIL")), T0)).isEmpty();
    assertThat(Objects.requireNonNull(e.entries().get(MTU2)).phase())
        .isEqualTo(AlertEngine.Phase.PENDING);
    assertThat(e.observe(List.of(obs(MTU2, "FAIL")), T0.plusSeconds(60))).isEmpty();
    List<Notification> fired = e.observe(List.of(obs(MTU2, "FAIL")), T0.plusSeconds(120));
    assertThat(fired)
        .singleElement()
        .satisfies(
            n -> {
              assertThat(n.kind()).isEqualTo(Notification.Kind.FIRING);
              assertThat(n.startsAt()).as("starts at the first bad sweep").isEqualTo(T0);
              assertThat(n.severity()).isEqualTo("critical");
            });
    // still failing: deduplicated
    assertThat(e.observe(List.of(obs(MTU2, "FAIL")), T0.plusSeconds(180))).isEmpty();
    // UNKNOWN neither heals nor worsens
    assertThat(e.observe(List.of(obs(MTU2, "UNKNOWN")), T0.plusSeconds(240))).isEmpty();
    assertThat(e.firing()).hasSize(1);
    List<Notification> resolved = e.observe(List.of(obs(MTU2, "OK")), T0.plusSeconds(300));
    assertThat(resolved)
        .singleElement()
        .satisfies(
            n -> {
              assertThat(n.kind()).isEqualTo(Notification.Kind.RESOLVED);
              assertThat(n.startsAt()).isEqualTo(T0);
              assertThat(n.endsAt()).isEqualTo(T0.plusSeconds(300));
            });
    assertThat(e.observe(List.of(obs(MTU2, "OK")), T0.plusSeconds(360))).isEmpty();
    assertThat(e.entries()).isEmpty();
  }

  @Test
  void aPendingAlertThatHealsSaysNothing() {
    AlertEngine e = new AlertEngine(2, Map.of());
    assertThat(e.observe(List.of(obs(MTU2, "WARN")), T0)).isEmpty();
    assertThat(e.observe(List.of(obs(MTU2, "OK")), T0.plusSeconds(60))).isEmpty();
    assertThat(e.entries()).isEmpty();
  }

  @Test
  void restoredStateDoesNotFireAgain() {
    AlertEngine first = new AlertEngine(1, Map.of());
    assertThat(first.observe(List.of(obs(MTU2, "FAIL")), T0)).hasSize(1);
    AlertEngine second = new AlertEngine(1, first.entries());
    assertThat(second.observe(List.of(obs(MTU2, "FAIL")), T0.plusSeconds(60))).isEmpty();
    assertThat(second.observe(List.of(obs(MTU2, "OK")), T0.plusSeconds(120)))
        .singleElement()
        .extracting(Notification::kind)
        .isEqualTo(Notification.Kind.RESOLVED);
  }

  @Test
  void warnIsAWarningAndUnreachableIsCritical() {
    AlertEngine e = new AlertEngine(1, Map.of());
    AlertKey agent = new AlertKey("node3", "agent");
    List<Notification> n = e.observe(List.of(obs(MTU2, "WARN"), obs(agent, "UNREACHABLE")), T0);
    assertThat(n).extracting(Notification::severity).containsExactly("warning", "critical");
  }
}
