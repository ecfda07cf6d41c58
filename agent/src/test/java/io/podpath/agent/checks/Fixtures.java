package io.podpath.agent.checks;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** Outputs recorded from the real tools by hack/fixtures/checks.sh (run it to re-record). */
public final class Fixtures {
  public static final String RECORDER = "hack/fixtures/checks.sh";

  private Fixtures() {}

  public static String read(String name) {
    try (InputStream in = Fixtures.class.getResourceAsStream("/fixtures/checks/" + name)) {
      if (in == null) {
        throw new AssertionError(
            "fixture fixtures/checks/" + name + " missing: re-record with " + RECORDER);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new AssertionError("fixture " + name + " unreadable: re-record with " + RECORDER, e);
    }
  }

  /** For assertion messages: which script re-records the fixture the assertion is about. */
  public static String about(String name) {
    return "fixture fixtures/checks/" + name + " (recorded by " + RECORDER + ")";
  }
}
