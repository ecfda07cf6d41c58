package io.podpath.aggregator.api.live;

import com.google.common.base.Ticker;
import java.time.Duration;
import java.util.Optional;

/**
 * How many live traces one aggregator starts: a token bucket of {@code perMinute} tokens a minute
 * holding at most {@code burst}. A live trace makes every agent on its path open packet sockets and
 * the source send a real packet, so a script in a loop must not turn the aggregator into a packet
 * generator. Thread-safe.
 */
public final class LiveRate {
  private static final long NANOS_PER_MINUTE = Duration.ofMinutes(1).toNanos();

  private final int perMinute;
  private final int burst;
  private final Ticker ticker;
  private double tokens;
  private long last;

  /**
   * @param perMinute live traces a minute, at least 1 (an aggregator that allows none has no rate)
   * @param burst how many may start back to back after a quiet spell, 1..perMinute
   */
  public LiveRate(int perMinute, int burst, Ticker ticker) {
    if (perMinute < 1 || burst < 1 || burst > perMinute) {
      throw new IllegalArgumentException(
          "perMinute must be at least 1 and burst 1.." + perMinute + ", got " + burst);
    }
    this.perMinute = perMinute;
    this.burst = burst;
    this.ticker = ticker;
    this.tokens = burst;
    this.last = ticker.read();
  }

  /** The burst an operator gets for {@code perMinute}: a few back to back, never more than all. */
  public static int defaultBurst(int perMinute) {
    return Math.max(1, Math.min(5, perMinute));
  }

  /** Empty when a live trace may start now (and takes its token), else how long until one may. */
  public synchronized Optional<Duration> tryAcquire() {
    long now = ticker.read();
    tokens = Math.min(burst, tokens + (double) (now - last) * perMinute / NANOS_PER_MINUTE);
    last = now;
    if (tokens >= 1) {
      tokens -= 1;
      return Optional.empty();
    }
    long waitNanos = (long) Math.ceil((1 - tokens) * NANOS_PER_MINUTE / perMinute);
    return Optional.of(Duration.ofNanos(waitNanos));
  }

  public int perMinute() {
    return perMinute;
  }
}
