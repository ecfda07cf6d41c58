package io.podpath.agent.reliability;

import java.util.List;

/** Hostile values shared by the bad-input tables. */
final class BadValues {
  private BadValues() {}

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
          "a/b",
          "a\nb",
          "a\u0000b",
          "a\tb",
          "a\u001b[31m",
          "Web",
          "ns_1",
          "-lead",
          "trail-",
          "é",
          " ",
          "a b",
          "%2e%2e",
          "\u202Eevil",
          "x".repeat(254),
          HUGE);

  /** Not an IP literal. */
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
          " 10.0.0.1",
          "10.0.0.1 ",
          "0x7f.0.0.1",
          "1e3",
          "${IFS}",
          "1.2.3.4;reboot",
          "$(id)",
          "10.0.0.1\n",
          "\u0000",
          "\u0663.\u0663.\u0663.\u0663",
          "1:2:3:4:5:6:7:8:9",
          "-1.0.0.0",
          HUGE);

  static final List<String> MACS =
      List.of("zz:bb:cc:dd:ee:ff", "aa:bb:cc:dd:ee", "aa-bb-cc-dd-ee-ff", "aa:bb:cc:dd:ee:ff;ls");
}
