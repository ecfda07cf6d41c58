package io.podpath.agent.kernel;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * One node's kernel facts, kept for a short TTL. Why a TTL and not change detection: hashing
 * iptables-save output to notice a change costs the very iptables-save run the cache saves, and
 * netfilter/sysctl offer no cheap change notification (inotify does not fire on /proc/sys or on
 * netfilter). A trace asks with {@code fresh=true} (the CLI's --fresh, or a re-check after an
 * unexpected verdict) to re-read at once. Conntrack fill changes by the millisecond and is read
 * with the rest; a stale count can only be as old as the TTL.
 */
public final class KernelFactsCache {
  private final Duration ttl;
  private final Clock clock;
  private final Supplier<KernelFacts> reader;
  private KernelFacts facts;
  private Instant readAt = Instant.MIN;

  public KernelFactsCache(Duration ttl, Clock clock, Supplier<KernelFacts> reader) {
    this.ttl = ttl;
    this.clock = clock;
    this.reader = reader;
  }

  public synchronized KernelFacts get(boolean fresh) {
    return get(fresh, reader);
  }

  /**
   * As {@link #get(boolean)}, reading with {@code reader} when a read is due (the caller's reader
   * is bounded by its own deadline).
   */
  public synchronized KernelFacts get(boolean fresh, Supplier<KernelFacts> reader) {
    Instant now = clock.instant();
    if (fresh || facts == null || !now.isBefore(readAt.plus(ttl))) {
      facts = reader.get();
      readAt = now;
    }
    return facts;
  }

  /** Drops the cached facts: the next {@link #get} reads the node again. */
  public synchronized void invalidate() {
    facts = null;
  }
}
