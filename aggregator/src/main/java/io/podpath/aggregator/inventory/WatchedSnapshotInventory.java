package io.podpath.aggregator.inventory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Objects;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster as written in a manifest file, re-read when the file changes (its modification time
 * or size), so that a new {@code kubectl get -o yaml} dump needs no restart. The file is looked at
 * no more often than every {@code interval}, by the caller that asks: no thread of its own. A file
 * that no longer reads (half written, broken) keeps the previous cluster and is logged once per
 * change; the next good write is taken.
 */
public final class WatchedSnapshotInventory implements Inventory {
  private static final Logger LOG = LoggerFactory.getLogger(WatchedSnapshotInventory.class);

  /** What identifies one version of the file. */
  private record Stamp(FileTime modified, long size) {}

  private final Path file;
  private final long intervalNanos;
  private final LongSupplier nanoTime;
  private volatile ClusterIndex index;
  private @Nullable Stamp seen;
  private long lastLook;

  WatchedSnapshotInventory(Path file, Duration interval, LongSupplier nanoTime) {
    this.file = file;
    this.intervalNanos = interval.toNanos();
    this.nanoTime = nanoTime;
    this.seen = stamp();
    this.index = ManifestReader.read(file);
    this.lastLook = nanoTime.getAsLong();
  }

  /** Reads {@code file} now (a broken file is refused here, before anything starts). */
  public static WatchedSnapshotInventory load(Path file, Duration interval) {
    return new WatchedSnapshotInventory(file, interval, System::nanoTime);
  }

  @Override
  public ClusterIndex current() {
    long now = nanoTime.getAsLong();
    synchronized (this) {
      if (now - lastLook >= intervalNanos) {
        lastLook = now;
        refresh();
      }
    }
    return index;
  }

  private void refresh() {
    Stamp now = stamp();
    if (now == null || Objects.equals(now, seen)) {
      return;
    }
    seen = now;
    try {
      index = ManifestReader.read(file);
      LOG.info("snapshot {} changed: re-read", file);
    } catch (ManifestException e) {
      LOG.warn(
          "snapshot {} changed but cannot be read; keeping the previous one: {}",
          file,
          e.getMessage());
    }
  }

  private @Nullable Stamp stamp() {
    try {
      return new Stamp(Files.getLastModifiedTime(file), Files.size(file));
    } catch (IOException e) {
      return null;
    }
  }

  @Override
  public boolean synced() {
    return true;
  }

  @Override
  public String description() {
    return "snapshot " + file + " (re-read when it changes)";
  }
}
