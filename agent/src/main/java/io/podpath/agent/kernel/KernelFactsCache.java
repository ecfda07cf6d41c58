package io.podpath.agent.kernel;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * One node's kernel facts, re-read when a cheap change indicator the caller reads on every trace
 * differs ({@link #get(Object, Supplier)}: the nf_tables generation, the forwarding and rp_filter
 * sysctls), and otherwise after a short TTL. Hashing iptables-save output would cost the very
 * iptables-save run the cache saves, and inotify does not fire on /proc/sys or netfilter; what the
 * indicator does not cover (addresses, MTUs, an iptables-legacy node's rules, conntrack fill) can
 * be as old as the TTL. {@code fresh=true} re-reads at once.
 */
public final class KernelFactsCache {
  private final Duration ttl;
  private final Clock clock;
  private final Supplier<KernelFacts> reader;
  private @Nullable KernelFacts facts;
  private Instant readAt = Instant.MIN;
  private @Nullable Object readKey;

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

  /**
   * As {@link #get(boolean, Supplier)}, also reading again when {@code key} (a cheap change
   * indicator read by the caller: the nf_tables generation, the sysctls) differs from the one the
   * cached facts were read under.
   */
  public synchronized KernelFacts get(Object key, Supplier<KernelFacts> reader) {
    boolean changed = facts != null && !java.util.Objects.equals(key, readKey);
    KernelFacts f = get(changed, reader);
    readKey = key;
    return f;
  }

  /** The facts read last, if any (to know which interfaces' sysctls make the key). */
  public synchronized java.util.Optional<KernelFacts> peek() {
    return java.util.Optional.ofNullable(facts);
  }

  /** Drops the cached facts: the next {@link #get} reads the node again. */
  public synchronized void invalidate() {
    facts = null;
  }
}
