package io.podpath.aggregator.reliability;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A sandbox daemon's process, found by its pidfile: the fault tests kill and re-run them. */
final class NodeProcesses {
  private NodeProcesses() {}

  static long pid(Path pidfile) throws Exception {
    return Long.parseLong(Files.readString(pidfile).trim());
  }

  static void kill(Path pidfile) throws Exception {
    ProcessHandle p = ProcessHandle.of(pid(pidfile)).orElseThrow();
    p.destroyForcibly();
    p.onExit().get(10, TimeUnit.SECONDS);
  }

  /** The argv a running process was started with (/proc/PID/cmdline). */
  static List<String> cmdline(long pid) throws Exception {
    byte[] raw = Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline"));
    List<String> out = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < raw.length; i++) {
      if (raw[i] == 0) {
        out.add(new String(raw, start, i - start, StandardCharsets.UTF_8));
        start = i + 1;
      }
    }
    return out;
  }
}
