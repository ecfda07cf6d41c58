package io.podpath.agent.trace;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.podpath.testkit.ExecResult;
import io.podpath.testkit.Sandbox;
import io.podpath.testkit.SandboxExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The trace tests' view of a testkit sandbox ({@link SandboxExtension} brings it up, shares it
 * between test classes of the same configuration and tears it down): its sandbox.json, and the
 * reference tools (ovs-vsctl, ovn-sbctl, hack/sandbox) the tests check the agent against.
 */
final class TraceSandbox {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Sandbox sandbox;
  final JsonNode json;

  private TraceSandbox(Sandbox sandbox, JsonNode json) {
    this.sandbox = sandbox;
    this.json = json;
  }

  static TraceSandbox of(Sandbox s) throws IOException {
    return new TraceSandbox(s, JSON.readTree(s.stateDir().resolve("sandbox.json").toFile()));
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

  /** hack/sandbox SUBCOMMAND ... for this sandbox (policy, probe); fails on a non-zero exit. */
  String sandbox(String... args) {
    ExecResult r = sandbox.script(Duration.ofSeconds(60), args);
    if (r.exitCode() != 0) {
      throw new AssertionError(
          "hack/sandbox "
              + List.of(args)
              + " exited "
              + r.exitCode()
              + ":\n"
              + r.stdout()
              + r.stderr());
    }
    return r.stdout();
  }

  /** hack/sandbox's exit code, for probes that must fail. */
  int sandboxStatus(String... args) {
    return sandbox.script(Duration.ofSeconds(60), args).exitCode() == 0 ? 0 : 1;
  }

  /** A reference tool run from the test (ovs-vsctl, ovn-sbctl), stdout trimmed. */
  static String tool(String... argv) throws IOException, InterruptedException {
    return run(List.of(argv), 30).strip();
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

  private static String run(List<String> argv, int secs) throws IOException, InterruptedException {
    // output to a file: a daemon the tool starts may keep an inherited pipe open
    Path log = Files.createTempFile("podpath-trace-tool", ".log");
    try {
      Process p =
          new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(log.toFile()).start();
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
}
