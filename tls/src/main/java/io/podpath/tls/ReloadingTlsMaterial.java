package io.podpath.tls;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds the current {@link TlsMaterial} and swaps it when the files change. The check runs on the
 * handshake path but at most once per {@code checkInterval}: it re-reads the three files (a few KB)
 * and compares bytes, which also catches Kubernetes Secret volumes, whose atomic {@code ..data}
 * symlink swap keeps old mtimes. A change that does not load (e.g. the new certificate is written
 * but not yet its key) keeps the previous material and is retried at the next check.
 */
public final class ReloadingTlsMaterial {
  private static final Logger LOG = LoggerFactory.getLogger(ReloadingTlsMaterial.class);

  /** The material and a generation number that key-manager aliases carry. */
  record Snapshot(long generation, TlsMaterial material, TlsMaterial.Contents contents) {}

  private final TlsFiles files;
  private final Duration checkInterval;
  private final Clock clock;
  private final AtomicLong nextCheckMillis = new AtomicLong();
  private volatile Snapshot current;
  private volatile Snapshot previous;
  private volatile String lastFailure;

  /** Loads the files now: a bad configuration fails at startup, not at the first handshake. */
  public ReloadingTlsMaterial(TlsFiles files, Duration checkInterval, Clock clock) {
    this.files = Objects.requireNonNull(files);
    this.checkInterval = Objects.requireNonNull(checkInterval);
    this.clock = Objects.requireNonNull(clock);
    TlsMaterial.Contents contents = TlsMaterial.Contents.read(files);
    this.current = new Snapshot(1, TlsMaterial.parse(contents, files), contents);
    this.previous = current;
    nextCheckMillis.set(clock.millis() + checkInterval.toMillis());
  }

  public TlsFiles files() {
    return files;
  }

  /** The material to use now, after a throttled check for rotated files. */
  public TlsMaterial current() {
    return snapshot().material();
  }

  Snapshot snapshot() {
    long now = clock.millis();
    long due = nextCheckMillis.get();
    if (now >= due && nextCheckMillis.compareAndSet(due, now + checkInterval.toMillis())) {
      reloadIfChanged();
    }
    return current;
  }

  /** The snapshot of that generation if it is still current or just replaced; else null. */
  Snapshot generation(long generation) {
    Snapshot c = current;
    if (c.generation() == generation) {
      return c;
    }
    Snapshot p = previous;
    return p.generation() == generation ? p : null;
  }

  /** Checks the files now, ignoring the throttle. Returns true when new material was installed. */
  public synchronized boolean reloadIfChanged() {
    TlsMaterial.Contents contents;
    try {
      contents = TlsMaterial.Contents.read(files);
    } catch (TlsMaterialException e) {
      noteFailure(e);
      return false;
    }
    Snapshot c = current;
    if (contents.sameAs(c.contents())) {
      return false;
    }
    try {
      TlsMaterial material = TlsMaterial.parse(contents, files);
      previous = c;
      current = new Snapshot(c.generation() + 1, material, contents);
      lastFailure = null;
      LOG.info(
          "TLS material reloaded from {}: subject {}, expires {}",
          files.certChain(),
          material.chain().get(0).getSubjectX500Principal(),
          material.chain().get(0).getNotAfter().toInstant());
      return true;
    } catch (TlsMaterialException e) {
      noteFailure(e);
      return false;
    }
  }

  private void noteFailure(TlsMaterialException e) {
    String message = e.getMessage();
    if (!message.equals(lastFailure)) {
      LOG.warn(
          "TLS files changed but cannot be loaded yet; keeping the previous ones: {}", message);
    }
    lastFailure = message;
  }

  /** When the leaf certificate in use expires, for metrics and readiness. */
  public Instant notAfter() {
    return current.material().chain().get(0).getNotAfter().toInstant();
  }
}
