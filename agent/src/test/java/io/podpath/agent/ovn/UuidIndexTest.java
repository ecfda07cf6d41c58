package io.podpath.agent.ovn;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class UuidIndexTest {
  @Test
  void findsEveryUuidOfACookieIncludingHighBitOnes() {
    UuidIndex i =
        new UuidIndex(
            List.of(
                "f500cb59-ebb2-48e6-9b5f-cd6d22099bc6",
                "f500cb59-0000-48e6-9b5f-cd6d22099bc6",
                "0c9c2a7f-fd78-47ea-a719-de4578e20d6e",
                "f500cb5a-ebb2-48e6-9b5f-cd6d22099bc6",
                "not-a-uuid"));
    assertThat(i.size()).isEqualTo(4);
    assertThat(i.withPrefix(0xf500cb59L))
        .containsExactlyInAnyOrder(
            "f500cb59-ebb2-48e6-9b5f-cd6d22099bc6", "f500cb59-0000-48e6-9b5f-cd6d22099bc6");
    assertThat(i.withPrefix(0xc9c2a7fL)).containsExactly("0c9c2a7f-fd78-47ea-a719-de4578e20d6e");
    assertThat(i.withHint("0c9c2a7f")).hasSize(1);
    assertThat(i.withHint("zz")).isEmpty();
    assertThat(i.withPrefix(0x12345678L)).isEmpty();
  }

  @Test
  void cachedReloadsAfterItsTtlOrWhenAskedEarly() {
    AtomicInteger loads = new AtomicInteger();
    Instant[] now = {Instant.parse("2026-01-01T00:00:00Z")};
    Clock clock =
        new Clock() {
          @Override
          public ZoneOffset getZone() {
            return ZoneOffset.UTC;
          }

          @Override
          public Clock withZone(ZoneId zone) {
            return this;
          }

          @Override
          public Instant instant() {
            return now[0];
          }
        };
    Cached<Integer> c = new Cached<>(loads::incrementAndGet, Duration.ofSeconds(5), clock);
    assertThat(c.get()).isEqualTo(1);
    assertThat(c.get()).isEqualTo(1);
    assertThat(c.refreshIfOlderThan(Duration.ofMillis(500))).isEqualTo(1);
    now[0] = now[0].plusSeconds(1);
    assertThat(c.refreshIfOlderThan(Duration.ofMillis(500))).isEqualTo(2);
    now[0] = now[0].plusSeconds(6);
    assertThat(c.get()).isEqualTo(3);
  }
}
