package io.podpath.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The sandbox daemons (ovsdb-server, ovs-vswitchd, ovn-controller, …) whose pidfile names a process
 * that is gone, each with the last lines of its log. A daemon that dies mid-run breaks every later
 * test on a shared sandbox; a failing test names it instead of leaving only "connection refused".
 */
final class DeadDaemons {
  private static final int TAIL_LINES = 8;

  private DeadDaemons() {}

  static List<String> in(Path stateDir) {
    return in(stateDir, daemon -> true);
  }

  /**
   * The dead OVS/OVN daemons only (ovsdb-server, ovs-vswitchd, ovn-*): without them a node or the
   * cluster is gone. A pod's responder may be stopped on purpose by a fault knob.
   */
  static List<String> switching(Path stateDir) {
    return in(stateDir, daemon -> daemon.startsWith("ovs") || daemon.startsWith("ovn"));
  }

  private static List<String> in(Path stateDir, Predicate<String> daemon) {
    Path list = stateDir.resolve("pidfiles.list");
    List<String> dead = new ArrayList<>();
    try {
      if (!Files.isRegularFile(list)) {
        return dead;
      }
      for (String line : Files.readAllLines(list, StandardCharsets.UTF_8)) {
        Path pidfile = Path.of(line.strip());
        if (line.isBlank() || !Files.isRegularFile(pidfile)) {
          continue;
        }
        if (!daemon.test(pidfile.getFileName().toString().replaceFirst("\\.pid$", ""))) {
          continue;
        }
        Optional<Long> pid = pid(pidfile);
        if (pid.isPresent()
            && ProcessHandle.of(pid.get()).map(ProcessHandle::isAlive).orElse(false)) {
          continue;
        }
        dead.add(describe(pidfile, pid));
      }
    } catch (IOException e) {
      dead.add("(could not read " + list + ": " + e.getMessage() + ")");
    }
    return dead;
  }

  private static Optional<Long> pid(Path pidfile) throws IOException {
    String s = Files.readString(pidfile, StandardCharsets.UTF_8).strip();
    return s.matches("[0-9]{1,10}") ? Optional.of(Long.parseLong(s)) : Optional.empty();
  }

  /** "node1 ovs-vswitchd (pid 24895)" and its log's tail: nodeN/run/X.pid ↔ nodeN/log/X.log. */
  private static String describe(Path pidfile, Optional<Long> pid) throws IOException {
    String daemon = pidfile.getFileName().toString().replaceFirst("\\.pid$", "");
    Path nodeDir = pidfile.getParent().getParent();
    StringBuilder b =
        new StringBuilder(nodeDir.getFileName() + " " + daemon)
            .append(pid.map(p -> " (pid " + p + ")").orElse(""))
            .append(" is dead");
    Path log = nodeDir.resolve("log").resolve(daemon + ".log");
    if (Files.isRegularFile(log)) {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      b.append("; last lines of ").append(log).append(':');
      lines
          .subList(Math.max(0, lines.size() - TAIL_LINES), lines.size())
          .forEach(l -> b.append("\n    ").append(l));
    }
    return b.toString();
  }
}
