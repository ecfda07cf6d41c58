package io.podpath.agent.conntrack;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code dpctl/ct-get-limits}: the per-zone connection limits of the userspace datapath. A limit of
 * 0 means none. The default limit's count is not printed, so only explicit zones are judged.
 */
public record CtLimits(long defaultLimit, Map<Integer, long[]> zones) {
  private static final Pattern DEFAULT = Pattern.compile("(?m)^\\s*default limit=(\\d+)");
  private static final Pattern ZONE =
      Pattern.compile("(?m)^\\s*zone=(\\d{1,5}),limit=(\\d+),count=(\\d+)");

  public CtLimits {
    zones = Map.copyOf(zones);
  }

  public static CtLimits parse(String text) {
    Matcher d = DEFAULT.matcher(text);
    long def = d.find() ? parseOr(d.group(1)) : 0;
    Map<Integer, long[]> zones = new HashMap<>();
    Matcher z = ZONE.matcher(text);
    while (z.find()) {
      zones.put(
          Integer.parseInt(z.group(1)), new long[] {parseOr(z.group(2)), parseOr(z.group(3))});
    }
    return new CtLimits(def, zones);
  }

  private static long parseOr(String s) {
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
