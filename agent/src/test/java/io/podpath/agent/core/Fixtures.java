package io.podpath.agent.core;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** Fixtures recorded from the sandbox's real tools by hack/fixtures/agent-core.sh. */
public final class Fixtures {
  public static final String HINT =
      "fixture recorded from the sandbox by hack/fixtures/agent-core.sh; re-record with "
          + "`hack/record-fixtures --only agent-core` if the tools' output changed";

  private Fixtures() {}

  public static String read(String name) {
    String path = "/fixtures/agent-core/" + name;
    try (InputStream in = Fixtures.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new AssertionError(path + " missing: " + HINT);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new AssertionError(path + ": " + e + "; " + HINT, e);
    }
  }
}
