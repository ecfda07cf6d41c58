package io.podpath.testkit;

/**
 * The address families of a sandbox's pods and Service ({@code hack/sandbox up --ip-family}): IPv4
 * only, IPv6 only, or dual stack with IPv4 listed first. The underlay stays IPv4 in every family
 * (Geneve over IPv4); IPv6 sandboxes add an IPv6 underlay address per node and on the external
 * host.
 */
public enum IpFamily {
  IPV4("ipv4"),
  IPV6("ipv6"),
  DUAL("dual");

  private final String cliName;

  IpFamily(String cliName) {
    this.cliName = cliName;
  }

  /** The value of {@code hack/sandbox up --ip-family}. */
  public String cliName() {
    return cliName;
  }

  /** Whether pods have addresses of {@code family} (4 or 6). */
  public boolean has(int family) {
    return switch (this) {
      case IPV4 -> family == 4;
      case IPV6 -> family == 6;
      case DUAL -> family == 4 || family == 6;
    };
  }

  /** The family a name (pod, Service) resolves to when none is asked for: the first one listed. */
  public int first() {
    return this == IPV6 ? 6 : 4;
  }

  /** 4 or 6, from an address literal. */
  public static int of(String ip) {
    return ip.indexOf(':') >= 0 ? 6 : 4;
  }
}
