package io.podpath.agent.kernel;

import io.podpath.agent.ip.IpLiteral;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * An IPv4 or IPv6 address as its bits (IPv4: the low 32 bits of {@code lo}); parsed from literals
 * only (never a name). IPv4 sorts before IPv6.
 */
public record IpAddr(long hi, long lo, boolean v6) implements Comparable<IpAddr> {
  public IpAddr {
    if (!v6 && (hi != 0 || (lo >>> 32) != 0)) {
      throw new IllegalArgumentException("an IPv4 address has 32 bits");
    }
  }

  public static IpAddr v4(int bits) {
    return new IpAddr(0, bits & 0xFFFFFFFFL, false);
  }

  /** Parses a dotted quad or an IPv6 literal; empty for anything else. */
  public static Optional<IpAddr> tryParse(String text) {
    if (text == null || text.length() < 2 || text.length() > 45) {
      return Optional.empty();
    }
    if (!text.contains(":")) {
      return tryParseV4(text);
    }
    return IpLiteral.tryParse(text).filter(a -> a instanceof Inet6Address).map(IpAddr::of);
  }

  /** Parses a dotted quad only (where the caller speaks IPv4: ARP, a pod's IPv4 route). */
  public static Optional<IpAddr> tryParseV4(String text) {
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
    return Optional.of(v4(bits));
  }

  /**
   * Parses a literal of either family or throws {@link KernelParseException} naming {@code what}.
   */
  public static IpAddr parse(String what, String text) {
    return tryParse(text)
        .orElseThrow(() -> new KernelParseException(what + ": not an IP address: " + text));
  }

  public static IpAddr of(InetAddress a) {
    byte[] b = a.getAddress();
    if (b.length == 4) {
      return v4(((b[0] & 255) << 24) | ((b[1] & 255) << 16) | ((b[2] & 255) << 8) | (b[3] & 255));
    }
    long hi = 0;
    long lo = 0;
    for (int i = 0; i < 8; i++) {
      hi = (hi << 8) | (b[i] & 255);
      lo = (lo << 8) | (b[i + 8] & 255);
    }
    return new IpAddr(hi, lo, true);
  }

  public InetAddress inet() {
    byte[] b = new byte[v6 ? 16 : 4];
    if (v6) {
      for (int i = 0; i < 8; i++) {
        b[i] = (byte) (hi >>> (56 - 8 * i));
        b[i + 8] = (byte) (lo >>> (56 - 8 * i));
      }
    } else {
      for (int i = 0; i < 4; i++) {
        b[i] = (byte) (lo >>> (24 - 8 * i));
      }
    }
    try {
      return InetAddress.getByAddress(b);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  /** 32 or 128. */
  public int width() {
    return v6 ? 128 : 32;
  }

  /** The address with all but the first {@code len} bits cleared. */
  public IpAddr masked(int len) {
    if (len < 0 || len > width()) {
      throw new KernelParseException("prefix length out of range: " + len);
    }
    if (!v6) {
      return new IpAddr(0, len == 0 ? 0 : lo & ((0xFFFFFFFFL << (32 - len)) & 0xFFFFFFFFL), false);
    }
    long h = len >= 64 ? -1L : len == 0 ? 0 : -1L << (64 - len);
    long l = len <= 64 ? 0 : len == 128 ? -1L : -1L << (128 - len);
    return new IpAddr(hi & h, lo & l, true);
  }

  public boolean isMulticast() {
    return v6 ? (hi >>> 56) == 0xFF : (lo >>> 28) == 0xE;
  }

  public boolean isLimitedBroadcast() {
    return !v6 && lo == 0xFFFFFFFFL;
  }

  /** fe80::/10: never what MASQUERADE picks. */
  public boolean isLinkLocal() {
    return v6 ? (hi >>> 54) == 0x3FA : (lo >>> 16) == 0xA9FE;
  }

  public boolean isAny() {
    return hi == 0 && lo == 0;
  }

  @Override
  public int compareTo(IpAddr o) {
    int f = Boolean.compare(v6, o.v6);
    if (f != 0) {
      return f;
    }
    int h = Long.compareUnsigned(hi, o.hi);
    return h != 0 ? h : Long.compareUnsigned(lo, o.lo);
  }

  @Override
  public String toString() {
    if (v6) {
      return IpLiteral.format(inet());
    }
    return (lo >>> 24) + "." + ((lo >>> 16) & 255) + "." + ((lo >>> 8) & 255) + "." + (lo & 255);
  }
}
