package io.podpath.bench;

/**
 * Names and addresses of simulated node {@code i} (1-based). hack/bench writes the same ones into
 * the fleet's manifest; the encap IPs are data only, never dialled.
 */
public final class Fleet {
  private Fleet() {}

  public static String nodeName(int i) {
    return "node" + i;
  }

  /** 100.64.0.0/10 (shared address space), so no simulated address is a real host's. */
  public static String encapIp(int i) {
    return "100." + (64 + (i >> 16)) + "." + ((i >> 8) & 0xff) + "." + (i & 0xff);
  }

  /** Node {@code i} of a fleet whose first node listens on {@code basePort}. */
  public static int port(int basePort, int i) {
    return basePort + i - 1;
  }

  public static int node(int basePort, int port) {
    return port - basePort + 1;
  }
}
