package io.podpath.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** What a sandbox might leave behind: its netns, its root-netns host link, its daemons. */
public final class Leftovers {
  private Leftovers() {}

  /**
   * Human-readable leftovers of sandbox {@code prefix} with state dir {@code dir}; empty = clean.
   */
  public static List<String> find(String prefix, Path dir) {
    List<String> found = new ArrayList<>();
    ExecResult ns =
        ProcessRunner.run(List.of("ip", "netns", "list"), Map.of(), Duration.ofSeconds(10));
    for (String line : ns.stdout().split("\n")) {
      String name = line.split(" ")[0];
      if (name.startsWith(prefix + "-")) {
        found.add("netns " + name);
      }
    }
    if (Files.exists(Path.of("/sys/class/net", prefix + "-host"))) {
      found.add("link " + prefix + "-host");
    }
    String marker = dir.toString() + "/";
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      procs
          .filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
          .forEach(
              p -> {
                String cmd = cmdline(p);
                if (cmd.contains(marker) && !zombie(p)) {
                  found.add("process " + p.getFileName() + ": " + cmd);
                }
              });
    } catch (IOException e) {
      found.add("cannot list /proc: " + e.getMessage());
    }
    return found;
  }

  private static String cmdline(Path proc) {
    try {
      return new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8)
          .replace('\0', ' ');
    } catch (IOException e) {
      return "";
    }
  }

  private static boolean zombie(Path proc) {
    try {
      String stat = Files.readString(proc.resolve("stat"));
      int close = stat.lastIndexOf(')');
      return close > 0 && stat.length() > close + 2 && stat.charAt(close + 2) == 'Z';
    } catch (IOException e) {
      return true; // gone
    }
  }
}
