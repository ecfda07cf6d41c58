package io.podpath.aggregator.reliability;

import java.util.List;

/** Hostile values shared by the aggregator's bad-input tables. */
final class Hostile {
  private Hostile() {}

  static final String HUGE = "a".repeat(1 << 20);

  /** Not a DNS-1123 label/subdomain: metacharacters, traversal, control chars, case, size. */
  static final List<String> NAMES =
      List.of(
          "default; ls",
          "$(reboot)",
          "`id`",
          "a|cat",
          "a&&b",
          "a>f",
          "../etc",
          "..",
          "a\nb",
          "a\u0000b",
          "a\tb",
          "a\u001b[31m",
          "Web",
          "ns_1",
          "-lead",
          "trail-",
          "é",
          "a b",
          "%2e%2e",
          "\u202Eevil",
          "x".repeat(254),
          HUGE);

  /** Not an IP literal (surrounding whitespace is trimmed by design, so not listed). */
  static final List<String> IPS =
      List.of(
          "10.0.0.256",
          "1.2.3",
          "1.2.3.4.5",
          "::g",
          "fe80::1%eth0",
          "web.local",
          "localhost",
          "10.0.0.1/24",
          "10.0.0.1:80",
          "0x7f.0.0.1",
          "1e3",
          "${IFS}",
          "1.2.3.4;reboot",
          "$(id)",
          "\u0000",
          "\u0663.\u0663.\u0663.\u0663",
          "1:2:3:4:5:6:7:8:9",
          "-1.0.0.0",
          HUGE);

  /** Printable, short case names. */
  static String show(String v) {
    String s = v.length() > 24 ? v.substring(0, 8) + "…(" + v.length() + " chars)" : v;
    StringBuilder b = new StringBuilder("'");
    for (char ch : s.toCharArray()) {
      b.append(ch < 0x20 || ch == 0x7f ? String.format("\\x%02x", (int) ch) : String.valueOf(ch));
    }
    return b.append("'").toString();
  }
}
