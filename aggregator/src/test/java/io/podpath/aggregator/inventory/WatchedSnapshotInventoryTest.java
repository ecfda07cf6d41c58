package io.podpath.aggregator.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A --snapshot file is re-read when it changes, no more often than its interval. */
class WatchedSnapshotInventoryTest {
  static final Path FIXTURE = Path.of("src/test/resources/fixtures/inventory/sandbox-cluster.yaml");
  static final ObjectRef WEB2 = new ObjectRef("default", "web-2");
  static final ObjectRef WEB9 = new ObjectRef("default", "web-9");

  @TempDir Path dir;

  /** Writes {@code text} with a modification time one minute later than the file had. */
  private static void rewrite(Path file, String text) throws Exception {
    Instant before = Files.getLastModifiedTime(file).toInstant();
    Files.writeString(file, text);
    Files.setLastModifiedTime(file, FileTime.from(before.plusSeconds(60)));
  }

  @Test
  void aChangedFileIsTakenAfterTheIntervalAndABrokenOneKeepsThePrevious() throws Exception {
    Path file = dir.resolve("cluster.yaml");
    String original = Files.readString(FIXTURE);
    Files.writeString(file, original);
    AtomicLong clock = new AtomicLong();
    var inv = new WatchedSnapshotInventory(file, Duration.ofSeconds(2), clock::get);
    assertThat(inv.pod(WEB2)).isPresent();

    rewrite(file, original.replace("web-2", "web-9"));
    assertThat(inv.pod(WEB2)).as("within the interval the file is not looked at").isPresent();
    clock.addAndGet(Duration.ofSeconds(2).toNanos());
    assertThat(inv.pod(WEB9)).isPresent();
    assertThat(inv.pod(WEB2)).isEmpty();

    rewrite(file, "items: [half written");
    clock.addAndGet(Duration.ofSeconds(2).toNanos());
    assertThat(inv.pod(WEB9)).as("a broken file keeps the previous cluster").isPresent();

    rewrite(file, original);
    clock.addAndGet(Duration.ofSeconds(2).toNanos());
    assertThat(inv.pod(WEB2)).as("the next good write is taken").isPresent();
    assertThat(inv.description()).contains("re-read when it changes");
  }
}
