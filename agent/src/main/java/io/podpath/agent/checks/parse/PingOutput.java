package io.podpath.agent.checks.parse;

import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The parts of iputils {@code ping -c 1} output a probe needs. */
public record PingOutput(
    int transmitted, int received, OptionalInt localMtu, OptionalLong rttMicros) {
  private static final Pattern STATS =
      Pattern.compile("(\\d+) packets transmitted, (\\d+) received");
  private static final Pattern MTU = Pattern.compile("message too long, mtu(?:=|: )(\\d+)");
  private static final Pattern RTT = Pattern.compile("rtt min/avg/max/mdev = ([0-9.]+)/");

  public static PingOutput parse(String text) throws ParseException {
    Matcher s = STATS.matcher(text);
    if (!s.find()) {
      throw new ParseException("ping: no statistics line");
    }
    Matcher m = MTU.matcher(text);
    Matcher r = RTT.matcher(text);
    try {
      return parse(s, m, r);
    } catch (NumberFormatException e) {
      throw new ParseException("ping: number out of range: " + e.getMessage(), e);
    }
  }

  private static PingOutput parse(Matcher s, Matcher m, Matcher r) {
    return new PingOutput(
        Integer.parseInt(s.group(1)),
        Integer.parseInt(s.group(2)),
        m.find() ? OptionalInt.of(Integer.parseInt(m.group(1))) : OptionalInt.empty(),
        r.find()
            ? OptionalLong.of(Math.round(Double.parseDouble(r.group(1)) * 1000))
            : OptionalLong.empty());
  }
}
