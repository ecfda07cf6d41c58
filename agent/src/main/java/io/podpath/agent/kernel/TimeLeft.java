package io.podpath.agent.kernel;

import io.podpath.agent.errors.DeadlineExceededException;
import java.time.Duration;
import java.time.Instant;

/** The time left until a request's deadline, as the timeout of the next read or command. */
public final class TimeLeft {
  private TimeLeft() {}

  /** What is left until {@code deadline}; a passed deadline is an error, never a zero timeout. */
  public static Duration until(Instant deadline, String what) {
    Duration d = Duration.between(Instant.now(), deadline);
    if (d.isNegative() || d.isZero()) {
      throw new DeadlineExceededException("the trace's deadline passed before " + what);
    }
    return d;
  }
}
