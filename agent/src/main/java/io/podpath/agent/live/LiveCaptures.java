package io.podpath.agent.live;

import io.podpath.agent.errors.NotFoundException;
import io.podpath.agent.errors.UnavailableException;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The agent's open live captures, by id: {@link #start} opens one and returns once it captures;
 * {@link #collect} waits for its deadline and forgets it. A capture nobody collects closes at its
 * own deadline all the same (its reader closes the socket) and is forgotten at the next start.
 */
public final class LiveCaptures {
  /** At most this many captures open at once on one agent. */
  public static final int MAX_OPEN = 8;

  /** What {@link #start} answers. */
  public record Handle(String id, long openedAtUnixMicros) {}

  private final Map<String, LiveCapture> open = new ConcurrentHashMap<>();

  /** Opens a capture for {@code match} that stays open for {@code duration}. */
  public Handle start(LiveMatch match, int maxPackets, Duration duration) {
    open.values().removeIf(LiveCapture::closed);
    if (open.size() >= MAX_OPEN) {
      throw new TooManyCapturesException(
          MAX_OPEN + " live captures are already open on this agent; retry after they end");
    }
    try {
      LiveCapture c = LiveCapture.open(match, maxPackets, duration);
      String id = UUID.randomUUID().toString();
      open.put(id, c);
      return new Handle(id, nowMicros());
    } catch (IOException e) {
      throw new UnavailableException(
          "AF_PACKET capture", Objects.requireNonNullElse(e.getMessage(), e.toString()));
    }
  }

  /** Waits (at most {@code budget}) for the capture's deadline and returns what it saw. */
  public Observed collect(String id, Duration budget) throws InterruptedException {
    LiveCapture c = open.remove(id);
    if (c == null) {
      throw new NotFoundException("no open live capture " + id + " on this agent");
    }
    try {
      return c.await(budget);
    } finally {
      c.stop();
    }
  }

  /** Open captures (for tests: a live trace leaves none behind). */
  public int openCount() {
    open.values().removeIf(LiveCapture::closed);
    return open.size();
  }

  static long nowMicros() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
  }

  /** More captures than {@link #MAX_OPEN}. */
  public static final class TooManyCapturesException extends RuntimeException {
    TooManyCapturesException(String message) {
      super(message);
    }
  }
}
