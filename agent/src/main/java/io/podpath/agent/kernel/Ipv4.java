package io.podpath.agent.kernel;

import java.util.Optional;

/** An IPv4 address as its 32 bits; parsed from dotted quads only (never a name). */
public record Ipv4(int bits) implements Comparable<Ipv4> {

  /** Parses a dotted quad; empty for anything else. */
  public static Optional<Ipv4> tryParse(String text) {
    if (text == null || text.length() < 7 || text.length() > 15) {
      return Optional.empty();
    }
    String[] parts = text.split("\\.", -1);
    if (parts.length != 4) {
      return Optional.empty();
    }
    int bits = 0;
    for (String p : parts) {
      if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)) {
        return Optional.empty();
      }
      int v = Integer.parseInt(p);
      if (v > 255) {
        return Optional.empty();
      }
      bits = (bits << 8) | v;
    }
    return Optional.of(new Ipv4(bits));
  }

  /** Parses a dotted quad or throws {@link KernelParseException} naming {@code what}. */
  public static Ipv4 parse(String what, String text) {
    return tryParse(text)
        .orElseThrow(() -> new KernelParseException(what + ": not an IPv4 address: " + text));
  }

  public boolean isMulticast() {
    return (bits >>> 28) == 0xE;
  }

  public boolean isLimitedBroadcast() {
    return bits == -1;
  }

  @Override
  public int compareTo(Ipv4 o) {
    return Integer.compareUnsigned(bits, o.bits);
  }

  @Override
  public String toString() {
    return (bits >>> 24)
        + "."
        + ((bits >>> 16) & 255)
        + "."
        + ((bits >>> 8) & 255)
        + "."
        + (bits & 255);
  }
}
