package io.podpath.agent.checks;

import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counter values remembered from the previous sweep, so that "rising between sweeps" is decided by
 * the agent itself. Lives as long as the agent process.
 */
public final class CounterMemory {
  private final Map<String, Long> last = new ConcurrentHashMap<>();

  /** Stores {@code value} under {@code key} and returns what was there before, if anything. */
  public OptionalLong exchange(String key, long value) {
    Long previous = last.put(key, value);
    return previous == null ? OptionalLong.empty() : OptionalLong.of(previous);
  }
}
