package io.podpath.agent.kernel;

/** An IPv4 prefix as iptables prints it: {@code A.B.C.D/LEN}, or a dotted mask. */
public record Cidr(Ipv4 network, int length) {
  public Cidr {
    if (length < 0 || length > 32) {
      throw new KernelParseException("prefix length out of range: " + length);
    }
    network = new Ipv4(network.bits() & mask(length));
  }

  /** {@code 10.0.0.0/8}, {@code 10.0.0.1} (a /32) or {@code 10.0.0.0/255.0.0.0}. */
  public static Cidr parse(String text) {
    int slash = text.indexOf('/');
    if (slash < 0) {
      return new Cidr(Ipv4.parse("address", text), 32);
    }
    Ipv4 addr = Ipv4.parse("address", text.substring(0, slash));
    String len = text.substring(slash + 1);
    if (len.contains(".")) {
      int m = Ipv4.parse("netmask", len).bits();
      int n = Integer.bitCount(m);
      if (m != mask(n)) {
        throw new KernelParseException("non-contiguous netmask: " + len);
      }
      return new Cidr(addr, n);
    }
    if (len.isEmpty() || len.length() > 2 || !len.chars().allMatch(Character::isDigit)) {
      throw new KernelParseException("bad prefix length: " + text);
    }
    return new Cidr(addr, Integer.parseInt(len));
  }

  public boolean contains(Ipv4 a) {
    return (a.bits() & mask(length)) == network.bits();
  }

  private static int mask(int len) {
    return len == 0 ? 0 : -1 << (32 - len);
  }

  @Override
  public String toString() {
    return network + "/" + length;
  }
}
