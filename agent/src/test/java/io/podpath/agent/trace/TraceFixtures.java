package io.podpath.agent.trace;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Reads the fixtures recorded from a real sandbox by hack/fixtures/trace.sh. */
final class TraceFixtures {
  /** Every assertion on a fixture names the script that re-records it. */
  static final String RERECORD =
      "fixture recorded from the sandbox; re-record with hack/record-fixtures"
          + " (hack/fixtures/trace.sh) if OVS/OVN changed: ";

  private TraceFixtures() {}

  static String read(String name) {
    return readPath("/fixtures/trace/" + name);
  }

  /** Any recorded fixture by its classpath path ("/fixtures/kernel/..."). */
  static String readPath(String path) {
    String name = path;
    try (InputStream in = TraceFixtures.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException(
            "missing fixture " + name + "; record it with hack/record-fixtures");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String why(String fixture) {
    return RERECORD + fixture;
  }
}
