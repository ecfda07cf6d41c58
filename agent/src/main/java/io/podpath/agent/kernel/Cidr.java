package io.podpath.agent.kernel;

/**
 * A prefix as iptables/ip6tables print it: {@code A.B.C.D/LEN}, a dotted mask, or {@code V6/LEN}.
 */
public record Cidr(IpAddr network, int length) {
  public Cidr {
    if (length < 0 || length > network.width()) {
      throw new KernelParseException("prefix length out of range: " + length);
    }
    network = network.masked(length);
  }

  /**
   * {@code 10.0.0.0/8}, {@code 10.0.0.1} (a /32), {@code 10.0.0.0/255.0.0.0}, {@code fd00::/48}.
   */
  public static Cidr parse(String text) {
    int slash = text.indexOf('/');
    if (slash < 0) {
      IpAddr a = IpAddr.parse("address", text);
      return new Cidr(a, a.width());
    }
    IpAddr addr = IpAddr.parse("address", text.substring(0, slash));
    String len = text.substring(slash + 1);
    if (!addr.v6() && len.contains(".")) {
      IpAddr m = IpAddr.parse("netmask", len);
      int n = Long.bitCount(m.lo());
      if (!m.equals(new IpAddr(0, 0xFFFFFFFFL, false).masked(n))) {
        throw new KernelParseException("non-contiguous netmask: " + len);
      }
      return new Cidr(addr, n);
    }
    if (len.isEmpty() || len.length() > 3 || !len.chars().allMatch(Character::isDigit)) {
      throw new KernelParseException("bad prefix length: " + text);
    }
    return new Cidr(addr, Integer.parseInt(len));
  }

  /** False for an address of the other family. */
  public boolean contains(IpAddr a) {
    return a.v6() == network.v6() && a.masked(length).equals(network);
  }

  @Override
  public String toString() {
    return network + "/" + length;
  }
}
