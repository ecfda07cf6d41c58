package io.podpath.agent.checks.parse;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * /proc/net/stat/nf_conntrack: a header of column names, then one line per CPU of hexadecimal
 * counters. {@link #totals()} sums every column over the CPUs (the "entries" column is the same
 * global count on each line, so it is taken from the first line, not summed).
 */
public record ConntrackStat(Map<String, Long> totals, int cpus) {

  public long get(String column) {
    return totals.getOrDefault(column, 0L);
  }

  public static ConntrackStat parse(String text) throws ParseException {
    String[] lines = text.strip().split("\n");
    if (lines.length < 2) {
      throw new ParseException("nf_conntrack stat: expected a header and one line per CPU");
    }
    String[] names = lines[0].trim().split("\\s+");
    Map<String, Long> totals = new LinkedHashMap<>();
    for (String n : names) {
      totals.put(n, 0L);
    }
    for (int i = 1; i < lines.length; i++) {
      String[] values = lines[i].trim().split("\\s+");
      if (values.length != names.length) {
        throw new ParseException(
            "nf_conntrack stat line "
                + (i + 1)
                + ": "
                + values.length
                + " values for "
                + names.length
                + " columns");
      }
      for (int c = 0; c < names.length; c++) {
        long v;
        try {
          v = Long.parseUnsignedLong(values[c], 16);
        } catch (NumberFormatException e) {
          throw new ParseException("nf_conntrack stat: not hexadecimal: " + values[c], e);
        }
        if (names[c].equals("entries")) {
          if (i == 1) {
            totals.put("entries", v);
          }
        } else {
          totals.merge(names[c], v, Long::sum);
        }
      }
    }
    return new ConntrackStat(Map.copyOf(totals), lines.length - 1);
  }
}
