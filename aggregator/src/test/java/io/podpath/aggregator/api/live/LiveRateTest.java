package io.podpath.aggregator.api.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.base.Ticker;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LiveRateTest {
  /** A clock the test moves by hand. */
  static final class ManualTicker extends Ticker {
    final AtomicLong nanos = new AtomicLong(1_000_000_000L);

    @Override
    public long read() {
      return nanos.get();
    }

    void advance(Duration d) {
      nanos.addAndGet(d.toNanos());
    }
  }

  @Test
  void aBurstPassesThenOneEveryPeriod() {
    ManualTicker t = new ManualTicker();
    LiveRate rate = new LiveRate(30, 5, t); // one every 2 s

    for (int i = 0; i < 5; i++) {
      assertThat(rate.tryAcquire()).as("burst #%d", i).isEmpty();
    }
    assertThat(rate.tryAcquire()).contains(Duration.ofSeconds(2));

    t.advance(Duration.ofMillis(1500));
    assertThat(rate.tryAcquire()).contains(Duration.ofMillis(500));
    t.advance(Duration.ofMillis(500));
    assertThat(rate.tryAcquire()).isEmpty();
    assertThat(rate.tryAcquire()).isPresent();
  }

  @Test
  void aQuietSpellRefillsNoMoreThanTheBurst() {
    ManualTicker t = new ManualTicker();
    LiveRate rate = new LiveRate(60, 3, t);
    for (int i = 0; i < 3; i++) {
      rate.tryAcquire();
    }
    t.advance(Duration.ofHours(1));
    int admitted = 0;
    while (rate.tryAcquire().isEmpty()) {
      admitted++;
    }
    assertThat(admitted).isEqualTo(3);
  }

  @Test
  void aRefusalCostsNothing() {
    ManualTicker t = new ManualTicker();
    LiveRate rate = new LiveRate(1, 1, t);
    assertThat(rate.tryAcquire()).isEmpty();
    for (int i = 0; i < 100; i++) {
      assertThat(rate.tryAcquire()).isPresent();
    }
    t.advance(Duration.ofMinutes(1));
    assertThat(rate.tryAcquire()).isEmpty();
  }

  @Test
  void burstAndRateAreChecked() {
    assertThatThrownBy(() -> new LiveRate(0, 1, Ticker.systemTicker()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new LiveRate(3, 4, Ticker.systemTicker()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(LiveRate.defaultBurst(1)).isEqualTo(1);
    assertThat(LiveRate.defaultBurst(30)).isEqualTo(5);
  }
}
