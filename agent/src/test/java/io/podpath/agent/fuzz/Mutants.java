package io.podpath.agent.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Fuzz inputs: the fixtures recorded from the real tools, mutated (bytes flipped, slices cut,
 * duplicated and spliced, numbers made huge or negative, structure characters injected), plus plain
 * random text.
 */
final class Mutants {
  private Mutants() {}

  static final Path FIXTURES = Path.of("src/test/resources/fixtures");

  /** Every fixture file under {@code area} whose name matches {@code glob}, as text. */
  static List<String> seeds(String area, String glob) {
    Path dir = FIXTURES.resolve(area);
    if (!Files.isDirectory(dir)) {
      throw new IllegalStateException("no fixture directory " + dir + " (hack/record-fixtures)");
    }
    try (Stream<Path> files = Files.list(dir)) {
      var matcher = dir.getFileSystem().getPathMatcher("glob:" + glob);
      List<String> out =
          files.filter(p -> matcher.matches(p.getFileName())).sorted().map(Mutants::read).toList();
      if (out.isEmpty()) {
        // a seed pattern that matches nothing silently weakens the fuzzing: fail instead
        throw new IllegalStateException("no fixture matches " + dir + "/" + glob);
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String read(Path p) {
    try {
      return Files.readString(p, StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static final List<String> INSERTS =
      List.of(
          "(",
          ")",
          "[",
          "]",
          "{",
          "}",
          ",",
          ":",
          "\"",
          "\\",
          "\n",
          "\u0000",
          "=",
          "->",
          "0x",
          "99999999999999999999999",
          "-1",
          "-9223372036854775808",
          "NaN",
          "   ",
          "\t",
          "é\uFFFD",
          "recirc(",
          "tnl_push(",
          "ct(",
          "set(",
          "Datapath actions: ",
          "Final flow: ",
          " 1: ",
          "cookie=0x",
          "\"map\",[[",
          "\"set\",[",
          "-A KUBE-SERVICES ",
          "TCP  ",
          "icmp_seq=",
          "entries ");

  /** One mutation step: position, length, which kind, and what to insert. */
  record Step(int kind, double at, double len, String insert) {}

  static String apply(String seed, List<Step> steps) {
    StringBuilder s = new StringBuilder(seed);
    for (Step st : steps) {
      int n = s.length();
      int at = (int) (st.at() * n);
      int len = Math.min(n - at, (int) (st.len() * Math.min(n, 400)));
      switch (st.kind()) {
        case 0 -> s.insert(at, st.insert());
        case 1 -> s.delete(at, at + len);
        case 2 -> s.insert(at, s.substring(at, at + len)); // duplicate a slice
        case 3 -> s.setLength(at); // truncate
        case 4 -> { // replace digits after at by a huge number
          int d = indexOfDigit(s, at);
          if (d >= 0) {
            s.insert(d, "9999999999999999999");
          }
        }
        case 5 -> { // flip one character
          if (at < n) {
            s.setCharAt(at, (char) (s.charAt(at) ^ (1 + st.insert().length())));
          }
        }
        default -> s.replace(at, at + len, st.insert());
      }
    }
    return s.toString();
  }

  private static int indexOfDigit(CharSequence s, int from) {
    for (int i = from; i < s.length(); i++) {
      if (Character.isDigit(s.charAt(i))) {
        return i;
      }
    }
    return -1;
  }

  /** Mutated fixtures (mostly) and random text (sometimes). */
  static Arbitrary<String> of(List<String> seeds) {
    if (seeds.isEmpty()) {
      throw new IllegalStateException("no recorded fixtures to seed from (hack/record-fixtures)");
    }
    Arbitrary<Step> step =
        Combinators.combine(
                Arbitraries.integers().between(0, 6),
                Arbitraries.doubles().between(0, 1),
                Arbitraries.doubles().between(0, 1),
                Arbitraries.oneOf(Arbitraries.of(INSERTS), Arbitraries.strings().ofMaxLength(12)))
            .as(Step::new);
    Arbitrary<String> mutated =
        Combinators.combine(Arbitraries.of(seeds), step.list().ofMinSize(1).ofMaxSize(8))
            .as(Mutants::apply);
    Arbitrary<String> spliced =
        Combinators.combine(
                Arbitraries.of(seeds), Arbitraries.of(seeds), Arbitraries.doubles().between(0, 1))
            .as(
                (a, b, f) ->
                    a.substring(0, (int) (a.length() * f))
                        + b.substring((int) (b.length() * f * 0.5)));
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(6, mutated),
        net.jqwik.api.Tuple.of(1, spliced),
        net.jqwik.api.Tuple.of(1, Arbitraries.of(seeds)),
        net.jqwik.api.Tuple.of(2, Arbitraries.strings().ofMaxLength(300)));
  }

  private static final ExecutorService RUNNER =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "fuzz");
            t.setDaemon(true);
            return t;
          });

  /**
   * Runs the parser with a time bound ("never hangs"): returns its result, or rethrows what it
   * threw (unwrapped) so the property can check the exception type.
   */
  /** A parser under test; may throw its typed (checked) exception. */
  @FunctionalInterface
  interface Parser<T> {
    T parse(String input) throws Exception;
  }

  static <T> T bounded(String input, Parser<T> parser, Duration limit) throws Throwable {
    Future<T> f = RUNNER.submit(() -> parser.parse(input));
    try {
      return f.get(limit.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw e.getCause();
    } catch (TimeoutException e) {
      f.cancel(true);
      throw new AssertionError(
          "parser did not finish within " + limit + " on input of " + input.length() + " chars");
    }
  }
}
