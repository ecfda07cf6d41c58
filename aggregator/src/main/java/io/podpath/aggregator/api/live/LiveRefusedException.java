package io.podpath.aggregator.api.live;

import java.time.Duration;
import java.util.Optional;

/**
 * A live trace this aggregator will not run now: over its rate ({@link #retryAfter} says when one
 * may start: RESOURCE_EXHAUSTED) or turned off (FAILED_PRECONDITION).
 */
public final class LiveRefusedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient Optional<Duration> retryAfter;

  LiveRefusedException(String message, Optional<Duration> retryAfter) {
    super(message);
    this.retryAfter = retryAfter;
  }

  public Optional<Duration> retryAfter() {
    return retryAfter;
  }
}
