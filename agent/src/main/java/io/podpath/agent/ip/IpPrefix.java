package io.podpath.agent.ip;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * An IPv4 or IPv6 prefix ({@code 10.96.0.0/16}, {@code fd00::/64}, or one address as a /32 or
 * /128), parsed from an operator's flag. Host bits must be zero, so a typo such as {@code
 * 10.96.0.1/16} is an error rather than a silently wider range.
 */
public record IpPrefix(InetAddress network, int length) {
  public IpPrefix {
    int max = network.getAddress().length * 8;
    if (length < 0 || length > max) {
      throw new IllegalArgumentException("prefix length " + length + " is outside 0-" + max);
    }
  }

  /**
   * Parses {@code ADDRESS[/LEN]}.
   *
   * @throws IllegalArgumentException naming what is wrong and the form expected
   */
  public static IpPrefix parse(String text) {
    String t = text == null ? "" : text.strip();
    int slash = t.indexOf('/');
    String addr = slash < 0 ? t : t.substring(0, slash);
    Optional<InetAddress> a = IpLiteral.tryParse(addr);
    if (a.isEmpty()) {
      throw new IllegalArgumentException(
          "'"
              + text
              + "' is not an IP prefix: expected ADDRESS/LEN, e.g. 10.96.0.0/16 or fd00::/64");
    }
    int max = a.get().getAddress().length * 8;
    int len = max;
    if (slash >= 0) {
      String l = t.substring(slash + 1);
      if (l.isEmpty() || l.length() > 3 || !l.chars().allMatch(c -> c >= '0' && c <= '9')) {
        throw new IllegalArgumentException(
            "'" + text + "': prefix length '" + l + "' is not a number 0-" + max);
      }
      len = Integer.parseInt(l);
      if (len > max) {
        throw new IllegalArgumentException(
            "'" + text + "': prefix length " + len + " is more than " + max);
      }
    }
    IpPrefix p = new IpPrefix(a.get(), len);
    if (!p.masked().equals(a.get())) {
      throw new IllegalArgumentException(
          "'"
              + text
              + "' has host bits set: the network is "
              + IpLiteral.format(p.masked())
              + "/"
              + len);
    }
    return p;
  }

  /** Whether {@code a} (of the same family) lies inside this prefix. */
  public boolean contains(InetAddress a) {
    if ((a instanceof Inet4Address) != (network instanceof Inet4Address)) {
      return false;
    }
    return maskBytes(a.getAddress(), length).equals(masked());
  }

  private InetAddress masked() {
    return maskBytes(network.getAddress(), length);
  }

  private static InetAddress maskBytes(byte[] b, int len) {
    byte[] out = b.clone();
    for (int i = 0; i < out.length; i++) {
      int keep = Math.max(0, Math.min(8, len - i * 8));
      out[i] = (byte) (out[i] & (keep == 0 ? 0 : 0xff << (8 - keep)));
    }
    try {
      return InetAddress.getByAddress(out);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e); // only on a wrong length, which b cannot have
    }
  }

  @Override
  public String toString() {
    return IpLiteral.format(network) + "/" + length;
  }
}
