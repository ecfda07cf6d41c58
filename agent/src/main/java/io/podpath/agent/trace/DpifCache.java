package io.podpath.agent.trace;

import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The last {@code dpif/show} answer, kept while neither the OVSDB port rows (the monitor's ports
 * version) nor the ovs-vswitchd instance (its control socket, named by pid) changed: datapath port
 * numbers are assigned only when ports are added, and a restarted daemon may number them anew.
 * Thread-safe.
 */
final class DpifCache {
  /** What the cached answer depends on. */
  record Key(long portsVersion, String vswitchdSocket) {}

  private record Entry(Key key, DpifPorts ports) {}

  private volatile @Nullable Entry entry;

  /** The cached ports for {@code key}, else {@code load}'s (then cached when {@code cacheable}). */
  DpifPorts get(Key key, boolean cacheable, Supplier<DpifPorts> load) {
    Entry e = entry;
    if (cacheable && e != null && e.key().equals(key)) {
      return e.ports();
    }
    DpifPorts fresh = load.get();
    if (cacheable) {
      entry = new Entry(key, fresh);
    }
    return fresh;
  }

  /** Forgets the answer (a trace named a datapath port it does not list). */
  void invalidate() {
    entry = null;
  }
}
