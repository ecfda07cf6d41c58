package io.podpath.bench;

import java.nio.charset.StandardCharsets;

/**
 * What one Prometheus text exposition costs a scrape: its size on the wire (UTF-8 bytes, no
 * compression) and its series (sample lines; a summary's _count and _sum are two): those of the
 * per-check families (status, info, duration), and the JVM's.
 */
record Exposition(long bytes, int series, int families, int checkSeries, int jvmSeries) {
  static Exposition of(String text) {
    int series = 0;
    int families = 0;
    int checks = 0;
    int jvm = 0;
    for (String line : text.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      if (line.startsWith("#")) {
        if (line.startsWith("# TYPE ")) {
          families++;
        }
        continue;
      }
      series++;
      if (line.startsWith("podpath_check_status")
          || line.startsWith("podpath_check_info")
          || line.startsWith("podpath_check_duration_seconds")) {
        checks++;
      } else if (line.startsWith("jvm_") || line.startsWith("process_")) {
        jvm++;
      }
    }
    return new Exposition(
        text.getBytes(StandardCharsets.UTF_8).length, series, families, checks, jvm);
  }

  static String csvHeader() {
    return "agent,bytes,series,families,check_series,jvm_series";
  }

  String csv(String label) {
    return "\""
        + label
        + "\","
        + bytes
        + ","
        + series
        + ","
        + families
        + ","
        + checkSeries
        + ","
        + jvmSeries;
  }
}
