package io.podpath.agent.trace;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A real sandbox (hack/sandbox, prefix "tr", index 3) for the trace tests. Fails (never skips) when
 * it cannot come up, unless -Dpodpath.sandbox.skip=true.
 */
final class TraceSandbox implements AutoCloseable {
  // -Dpodpath.trace.sandbox.prefix/index: run beside another user of tr/3 on a shared machine
  static final String PREFIX = System.getProperty("podpath.trace.sandbox.prefix", "tr");
  static final String INDEX = System.getProperty("podpath.trace.sandbox.index", "3");
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Path root;
  final JsonNode json;

  private TraceSandbox(Path root, JsonNode json) {
    this.root = root;
    this.json = json;
  }

  static TraceSandbox up(String... args) throws Exception {
    if (Boolean.getBoolean("podpath.sandbox.skip")) {
      Assumptions.abort("sandbox tests skipped (-Dpodpath.sandbox.skip=true)");
    }
    Path root = Path.of("").toAbsolutePath();
    while (root != null && !Files.isExecutable(root.resolve("hack/sandbox"))) {
      root = root.getParent();
    }
    if (root == null) {
      throw new AssertionError("hack/sandbox not found above " + Path.of("").toAbsolutePath());
    }
    List<String> argv = new ArrayList<>(List.of(root.resolve("hack/sandbox").toString(), "up"));
    argv.addAll(List.of(args));
    argv.add("--no-apps");
    String out = run(root, argv, 240);
    Path json = Path.of("/run/podpath-sandbox/" + PREFIX + "/sandbox.json");
    if (!Files.exists(json)) {
      throw new AssertionError("sandbox came up without " + json + ":\n" + out);
    }
    return new TraceSandbox(root, JSON.readTree(json.toFile()));
  }

  JsonNode node(String name) {
    for (JsonNode n : json.get("nodes")) {
      if (n.get("name").asText().equals(name)) {
        return n;
      }
    }
    throw new AssertionError("no node " + name);
  }

  /** hack/sandbox SUBCOMMAND ... for this sandbox (policy, probe, exec). */
  String podIp(String name) {
    for (JsonNode p : json.get("pods")) {
      if (p.get("name").asText().equals(name)) {
        return p.get("ip").asText();
      }
    }
    throw new AssertionError("no pod " + name);
  }

  String vsctl(String node, String... args) throws Exception {
    String db = "unix:" + node(node).get("ovsRundir").asText() + "/db.sock";
    String[] argv = new String[args.length + 2];
    argv[0] = "ovs-vsctl";
    argv[1] = "--db=" + db;
    System.arraycopy(args, 0, argv, 2, args.length);
    return tool(argv);
  }

  String sbctl(String... args) throws Exception {
    String[] argv = new String[args.length + 2];
    argv[0] = "ovn-sbctl";
    argv[1] = "--db=unix:" + json.get("ovnSbSocket").asText();
    System.arraycopy(args, 0, argv, 2, args.length);
    return tool(argv);
  }

  String sandbox(String... args) throws IOException, InterruptedException {
    List<String> argv = new ArrayList<>(List.of(root.resolve("hack/sandbox").toString()));
    argv.addAll(List.of(args));
    return run(root, argv, 60);
  }

  /** Runs sandbox with the exit code returned instead of checked (for probes that must fail). */
  int sandboxStatus(String... args) throws IOException, InterruptedException {
    try {
      sandbox(args);
      return 0;
    } catch (AssertionError e) {
      return 1;
    }
  }

  /** A reference tool run from the test (ovs-vsctl, ovn-sbctl), stdout trimmed. */
  static String tool(String... argv) throws IOException, InterruptedException {
    return run(null, List.of(argv), 30).strip();
  }

  /** A reference tool fed {@code input} on stdin (ovn-detrace reads a trace that way). */
  static String toolWithInput(String input, String... argv)
      throws IOException, InterruptedException {
    Path in = Files.createTempFile("podpath-trace-input", ".txt");
    Path out = Files.createTempFile("podpath-trace-output", ".txt");
    try {
      Files.writeString(in, input);
      Process p =
          new ProcessBuilder(argv)
              .redirectErrorStream(true)
              .redirectInput(in.toFile())
              .redirectOutput(out.toFile())
              .start();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError(List.of(argv) + " timed out");
      }
      String text = Files.readString(out, StandardCharsets.UTF_8);
      if (p.exitValue() != 0) {
        throw new AssertionError(List.of(argv) + " exited " + p.exitValue() + ":\n" + text);
      }
      return text;
    } finally {
      Files.deleteIfExists(in);
      Files.deleteIfExists(out);
    }
  }

  private static String run(Path cwd, List<String> argv, int secs)
      throws IOException, InterruptedException {
    // output to a file: daemons started by the script may keep an inherited pipe open
    Path log = Files.createTempFile("podpath-trace-sandbox", ".log");
    try {
      ProcessBuilder pb =
          new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(log.toFile());
      if (cwd != null) {
        pb.directory(cwd.toFile());
      }
      pb.environment()
          .putAll(
              Map.of(
                  "PODPATH_SANDBOX_PREFIX",
                  PREFIX,
                  "PODPATH_SANDBOX_INDEX",
                  INDEX,
                  "PODPATH_SANDBOX_DIR",
                  "/run/podpath-sandbox/" + PREFIX,
                  "PODPATH_SANDBOX_APPS",
                  "0"));
      Process p = pb.start();
      if (!p.waitFor(secs, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError(argv + " timed out");
      }
      String text = Files.readString(log, StandardCharsets.UTF_8);
      if (p.exitValue() != 0) {
        throw new AssertionError(argv + " exited " + p.exitValue() + ":\n" + text);
      }
      return text;
    } finally {
      Files.deleteIfExists(log);
    }
  }

  @Override
  public void close() throws Exception {
    run(root, List.of(root.resolve("hack/sandbox").toString(), "down"), 120);
  }
}
