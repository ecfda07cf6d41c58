package io.podpath.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU time and memory of a process, read from /proc (Linux). */
public record ProcStat(long cpuTicks, long rssKib, long hwmKib) {
  /** utime + stime (fields 14 and 15 of /proc/PID/stat, after the parenthesised comm). */
  static long cpuTicks(String statLine) {
    String rest = statLine.substring(statLine.lastIndexOf(')') + 2);
    String[] f = rest.split(" ");
    // rest starts at field 3 (state): utime is field 14 -> index 11, stime index 12.
    return Long.parseLong(f[11]) + Long.parseLong(f[12]);
  }

  static long statusKib(String status, String key) {
    for (String line : status.split("\n")) {
      if (line.startsWith(key + ":")) {
        return Long.parseLong(line.substring(key.length() + 1).trim().split("\\s+")[0]);
      }
    }
    return -1;
  }

  public static ProcStat of(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      String status = Files.readString(Path.of("/proc", Long.toString(pid), "status"));
      return new ProcStat(cpuTicks(stat), statusKib(status, "VmRSS"), statusKib(status, "VmHWM"));
    } catch (IOException e) {
      throw new IllegalStateException("cannot read /proc/" + pid + ": " + e.getMessage(), e);
    }
  }
}
