package io.podpath.aggregator.inventory;

import java.nio.file.Path;

/** The cluster as written in a manifest file, read once. */
public final class SnapshotInventory implements Inventory {
  private final ClusterIndex index;
  private final String description;

  public SnapshotInventory(ClusterIndex index, String description) {
    this.index = index;
    this.description = description;
  }

  public static SnapshotInventory load(Path file) {
    return new SnapshotInventory(ManifestReader.read(file), "snapshot " + file);
  }

  @Override
  public ClusterIndex current() {
    return index;
  }

  @Override
  public boolean synced() {
    return true;
  }

  @Override
  public String description() {
    return description;
  }
}
