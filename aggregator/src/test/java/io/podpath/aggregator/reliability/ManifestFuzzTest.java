package io.podpath.aggregator.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.podpath.aggregator.inventory.ClusterIndex;
import io.podpath.aggregator.inventory.ManifestException;
import io.podpath.aggregator.inventory.ManifestReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * The snapshot manifest reader on mutations of the recorded sandbox manifest (lines dropped,
 * duplicated and re-indented, values replaced by hostile ones, YAML structure injected): it returns
 * an index or throws ManifestException — nothing else — within a time bound, and never more objects
 * than the text has lines.
 */
class ManifestFuzzTest {
  static final String SEED = read();
  static final List<String> LINES = SEED.lines().toList();
  static final ExecutorService RUN =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "manifest-fuzz");
            t.setDaemon(true);
            return t;
          });

  static String read() {
    try (InputStream in =
        ManifestFuzzTest.class.getResourceAsStream("/fixtures/inventory/sandbox-cluster.yaml")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  record Edit(int kind, double at, String value) {}

  static final List<String> VALUES =
      List.of(
          "",
          "null",
          "~",
          "[]",
          "{}",
          "- x",
          "&a [*a]",
          "*missing",
          "!!binary AAAA",
          "\"\\u0000\"",
          "10.0.0.999",
          "99999999999999999999",
          "-1",
          "1.5",
          "true",
          "'{\"default\":[\"10.244.1.0/24\"'",
          "$(reboot)",
          "\t",
          ": :",
          "---",
          "...",
          "? complex",
          "%YAML 1.1",
          "|\n  block");

  static String apply(List<Edit> edits) {
    List<String> lines = new java.util.ArrayList<>(LINES);
    for (Edit e : edits) {
      if (lines.isEmpty()) {
        break;
      }
      int i = Math.min(lines.size() - 1, (int) (e.at() * lines.size()));
      String l = lines.get(i);
      switch (e.kind()) {
        case 0 -> lines.remove(i);
        case 1 -> lines.add(i, l);
        case 2 -> lines.set(i, "  " + l);
        case 3 -> lines.set(i, l.stripLeading());
        case 4 -> {
          int colon = l.indexOf(": ");
          lines.set(i, colon < 0 ? l + " " + e.value() : l.substring(0, colon + 2) + e.value());
        }
        case 5 -> lines.add(i, e.value());
        default -> lines.set(i, l.substring(0, (int) (l.length() * e.at())));
      }
    }
    return String.join("\n", lines) + "\n";
  }

  @Provide
  Arbitrary<String> manifests() {
    Arbitrary<Edit> edit =
        Combinators.combine(
                Arbitraries.integers().between(0, 6),
                Arbitraries.doubles().between(0, 1),
                Arbitraries.oneOf(Arbitraries.of(VALUES), Arbitraries.strings().ofMaxLength(10)))
            .as(Edit::new);
    return Arbitraries.frequencyOf(
        Tuple.of(9, edit.list().ofMinSize(1).ofMaxSize(6).map(ManifestFuzzTest::apply)),
        Tuple.of(1, Arbitraries.strings().ofMaxLength(200)));
  }

  @Property
  void readerReturnsOrThrowsManifestExceptionInTime(@ForAll("manifests") String text)
      throws Throwable {
    Future<ClusterIndex> f = RUN.submit(() -> ManifestReader.parse(text));
    try {
      ClusterIndex index = f.get(Duration.ofSeconds(5).toMillis(), TimeUnit.MILLISECONDS);
      int lines = (int) text.lines().count() + 1;
      assertThat(index.allPods().size() + index.nodes().size() + index.allServices().size())
          .isLessThanOrEqualTo(lines);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof ManifestException)) {
        throw new AssertionError("reader threw " + e.getCause() + " on:\n" + text, e.getCause());
      }
      assertThat(e.getCause().getMessage()).isNotBlank();
    } catch (TimeoutException e) {
      f.cancel(true);
      throw new AssertionError("reader did not finish within 5 s on:\n" + text);
    }
  }
}
