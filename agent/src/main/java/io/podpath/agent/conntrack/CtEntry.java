package io.podpath.agent.conntrack;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One conntrack entry as a tool printed it: the original and reply directions (the reply shows how
 * NAT rewrote the connection), the zone (OVS) and the line itself. Lines that are not entries are
 * skipped: the dumps are read for matching, never trusted to be complete.
 */
public record CtEntry(CtTuple orig, CtTuple reply, OptionalInt zone, String text) {
  private static final Pattern DPCTL =
      Pattern.compile("^(\\w+),orig=\\(([^)]*)\\),reply=\\(([^)]*)\\)(.*)$");
  private static final Pattern ZONE = Pattern.compile(",zone=(\\d{1,5})");
  private static final Pattern KV = Pattern.compile("(\\w+)=(\\S+)");

  /** True when {@code packet} is either direction of this connection. */
  public boolean matches(CtTuple packet) {
    return orig.sameAs(packet) || reply.sameAs(packet);
  }

  /** {@code ovs-appctl dpctl/dump-conntrack}: {@code udp,orig=(src=..,..),reply=(..),zone=N}. */
  public static List<CtEntry> parseDpctl(String text) {
    List<CtEntry> out = new ArrayList<>();
    for (String line : text.split("\n")) {
      Matcher m = DPCTL.matcher(line.strip());
      if (!m.matches()) {
        continue;
      }
      String proto = m.group(1);
      Map<String, String> o = fields(m.group(2).replace(',', ' '));
      Map<String, String> r = fields(m.group(3).replace(',', ' '));
      if (!o.containsKey("src") || !r.containsKey("src")) {
        continue;
      }
      Matcher z = ZONE.matcher(m.group(4));
      out.add(
          new CtEntry(
              tuple(proto, o),
              tuple(proto, r),
              z.find() ? OptionalInt.of(Integer.parseInt(z.group(1))) : OptionalInt.empty(),
              line.strip()));
    }
    return out;
  }

  /**
   * {@code conntrack -L}: {@code udp 17 29 src=A dst=B sport=P dport=Q [flags] src=.. dst=..
   * sport=.. dport=.. ...}: the first src/dst/sport/dport group is the original direction, the
   * second the reply.
   */
  public static List<CtEntry> parseConntrackL(String text) {
    List<CtEntry> out = new ArrayList<>();
    for (String line : text.split("\n")) {
      String[] words = line.strip().split("\\s+");
      if (words.length < 4 || !words[0].matches("[a-z0-9]+")) {
        continue;
      }
      List<Map<String, String>> groups = new ArrayList<>();
      Map<String, String> cur = null;
      for (String w : words) {
        Matcher kv = KV.matcher(w);
        if (!kv.matches()) {
          continue;
        }
        if (kv.group(1).equals("src")) {
          cur = new HashMap<>();
          groups.add(cur);
        }
        if (cur != null) {
          cur.putIfAbsent(kv.group(1), kv.group(2));
        }
      }
      if (groups.size() < 2
          || !groups.get(0).containsKey("dst")
          || !groups.get(1).containsKey("dst")) {
        continue;
      }
      Map<String, String> all = fields(line);
      OptionalInt zone =
          all.containsKey("zone") ? OptionalInt.of(number(all.get("zone"))) : OptionalInt.empty();
      out.add(
          new CtEntry(
              tuple(words[0], groups.get(0)), tuple(words[0], groups.get(1)), zone, line.strip()));
    }
    return out;
  }

  private static Map<String, String> fields(String s) {
    Map<String, String> m = new HashMap<>();
    Matcher kv = KV.matcher(s);
    while (kv.find()) {
      m.putIfAbsent(kv.group(1), kv.group(2));
    }
    return m;
  }

  private static CtTuple tuple(String proto, Map<String, String> f) {
    return new CtTuple(
        proto,
        f.getOrDefault("src", ""),
        f.getOrDefault("dst", ""),
        number(f.getOrDefault("sport", "0")),
        number(f.getOrDefault("dport", "0")));
  }

  private static int number(String s) {
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      return -1; // never equal to a traced port
    }
  }
}
