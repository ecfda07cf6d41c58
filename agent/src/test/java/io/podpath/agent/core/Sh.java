package io.podpath.agent.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.podpath.testkit.Node;
import io.podpath.testkit.Sandbox;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Reference commands run by the tests (ip -n, ovs-vsctl): the truth the agent is compared with. */
final class Sh {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Sh() {}

  static String run(String... argv) throws IOException, InterruptedException {
    Path log = Files.createTempFile("podpath-core-ref", ".out");
    try {
      Process p =
          new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError(List.of(argv) + " timed out");
      }
      String text = Files.readString(log, StandardCharsets.UTF_8);
      if (p.exitValue() != 0) {
        throw new AssertionError(List.of(argv) + " exited " + p.exitValue() + ":\n" + text);
      }
      return text;
    } finally {
      Files.deleteIfExists(log);
    }
  }

  static JsonNode json(String... argv) throws Exception {
    return JSON.readTree(run(argv));
  }

  static String vsctl(Node n, String... args) throws Exception {
    List<String> argv =
        new ArrayList<>(List.of("ovs-vsctl", "--db=unix:" + n.ovsRundir().resolve("db.sock")));
    argv.addAll(List.of(args));
    return run(argv.toArray(String[]::new)).strip();
  }

  /** sandbox.json, for the facts the testkit does not expose as methods. */
  static JsonNode info(Sandbox sb) throws IOException {
    return JSON.readTree(sb.stateDir().resolve("sandbox.json").toFile());
  }
}
