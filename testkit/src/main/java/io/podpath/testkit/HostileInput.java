package io.podpath.testkit;

import java.util.List;
import java.util.stream.Stream;

/**
 * Hostile values for the bad-input tables of the agent and the aggregator: one list, so a case
 * added for one side is tried on the other too.
 */
public final class HostileInput {
  private HostileInput() {}

  /** One MiB: larger than any name, address or message the API accepts. */
  public static final String HUGE = "a".repeat(1 << 20);

  /** Not a DNS-1123 label/subdomain: metacharacters, traversal, control chars, case, size. */
  public static final List<String> NAMES =
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

  /**
   * Also not a name where a name is one field (the agent's requests); the aggregator's endpoint
   * syntax reads "a/b" as namespace/name and trims surrounding blanks, so they are valid there.
   */
  public static final List<String> NAMES_IN_ONE_FIELD = concat(NAMES, List.of("a/b", " "));

  /** Not an IP literal. */
  public static final List<String> IPS =
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

  /** Also not an IP literal where nothing is trimmed (the agent's requests). */
  public static final List<String> IPS_UNTRIMMED =
      concat(IPS, List.of(" 10.0.0.1", "10.0.0.1 ", "10.0.0.1\n"));

  /** Not a MAC address. */
  public static final List<String> MACS =
      List.of("zz:bb:cc:dd:ee:ff", "aa:bb:cc:dd:ee", "aa-bb-cc-dd-ee-ff", "aa:bb:cc:dd:ee:ff;ls");

  /** A printable, short test-case name for {@code v}. */
  public static String show(String v) {
    String s = v.length() > 24 ? v.substring(0, 8) + "…(" + v.length() + " chars)" : v;
    StringBuilder b = new StringBuilder("'");
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      b.append(ch < 0x20 || ch == 0x7f ? String.format("\\x%02x", (int) ch) : String.valueOf(ch));
    }
    return b.append("'").toString();
  }

  private static List<String> concat(List<String> a, List<String> b) {
    return Stream.concat(a.stream(), b.stream()).toList();
  }
}
