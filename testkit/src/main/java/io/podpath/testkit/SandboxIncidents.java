package io.podpath.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * Sandboxes that broke under a run (a daemon died) and what the testkit did about it, appended to
 * {@code target/sandbox-incidents.log} of the module under test; {@code make test} prints the file
 * at the end, so a rebuilt sandbox is never silent.
 */
final class SandboxIncidents {
  static final Path LOG = Path.of("target", "sandbox-incidents.log");

  private SandboxIncidents() {}

  static void record(Path log, String incident) {
    String line = Instant.now() + " " + incident.replace('\n', ' ') + System.lineSeparator();
    System.err.print("[podpath testkit] " + line);
    try {
      Files.createDirectories(log.toAbsolutePath().getParent());
      Files.writeString(
          log, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      System.err.println("[podpath testkit] could not write " + log + ": " + e.getMessage());
    }
  }
}
