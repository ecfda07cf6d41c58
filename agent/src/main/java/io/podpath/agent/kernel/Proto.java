package io.podpath.agent.kernel;

import java.util.Locale;
import java.util.Optional;

/** The IP protocols podpath traces through the kernel, with their numbers. */
public enum Proto {
  ICMP(1),
  TCP(6),
  UDP(17),
  SCTP(132);

  private final int number;

  Proto(int number) {
    this.number = number;
  }

  public int number() {
    return number;
  }

  public boolean hasPorts() {
    return this != ICMP;
  }

  /** iptables' names or numbers ({@code tcp}, {@code 6}); empty for others. */
  public static Optional<Proto> byName(String s) {
    for (Proto p : values()) {
      if (p.name().toLowerCase(Locale.ROOT).equals(s.toLowerCase(Locale.ROOT))
          || String.valueOf(p.number).equals(s)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  public String lower() {
    return name().toLowerCase(Locale.ROOT);
  }
}
