package io.podpath.agent.checks.parse;

import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The userspace datapath's conntrack: {@code dpctl/ct-stats-show} and {@code
 * dpctl/ct-get-maxconns}.
 */
public final class DpctlConntrack {
  private static final Pattern TOTAL = Pattern.compile("(?m)^\\s*Total:\\s*(\\d+)");

  private DpctlConntrack() {}

  /** The "Total: N" line of ct-stats-show (absent when the table is empty in some versions). */
  public static OptionalLong total(String ctStatsShow) {
    Matcher m = TOTAL.matcher(ctStatsShow);
    if (!m.find()) {
      return OptionalLong.empty();
    }
    try {
      return OptionalLong.of(Long.parseLong(m.group(1)));
    } catch (NumberFormatException e) {
      return OptionalLong.empty(); // more digits than a long holds: not a count we can use
    }
  }

  public static long maxConns(String text) throws ParseException {
    try {
      return Long.parseLong(text.trim());
    } catch (NumberFormatException e) {
      throw new ParseException("dpctl/ct-get-maxconns: not a number: " + text.trim(), e);
    }
  }
}
