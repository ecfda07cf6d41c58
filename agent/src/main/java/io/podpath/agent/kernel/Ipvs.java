package io.podpath.agent.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** IPVS virtual services from {@code ipvsadm -Ln}; a kernel without ip_vs has none. */
public record Ipvs(boolean available, List<Service> services) {
  public static final Ipvs NONE = new Ipvs(false, List.of());

  public record Service(Proto proto, IpAddr address, int port, List<String> realServers) {}

  /**
   * Parses stdout; a stderr saying "Protocol not available" (no ip_vs module) means no IPVS.
   *
   * @throws KernelParseException for any other failure text
   */
  public static Ipvs parse(int exitCode, String stdout, String stderr) {
    if (exitCode != 0) {
      if (stderr.contains("Protocol not available")) {
        return NONE;
      }
      throw new KernelParseException("ipvsadm -Ln failed: " + stderr.strip());
    }
    List<Service> out = new ArrayList<>();
    Service cur = null;
    for (String line : stdout.split("\n")) {
      String[] f = line.strip().split("\\s+");
      if (f.length >= 2 && Proto.byName(f[0].toLowerCase(Locale.ROOT)).isPresent()) {
        Optional<IpAddr> a = IpAddr.tryParse(hostPart(f[1]));
        int port = portPart(f[1]);
        if (a.isPresent() && port >= 0) {
          cur = new Service(Proto.byName(f[0]).get(), a.get(), port, new ArrayList<>());
          out.add(cur);
        }
      } else if (f.length >= 2
          && f[0].equals("->")
          && cur != null
          && !f[1].equals("RemoteAddress:Port")) {
        cur.realServers().add(f[1]);
      }
    }
    return new Ipvs(
        true,
        out.stream()
            .map(s -> new Service(s.proto(), s.address(), s.port(), List.copyOf(s.realServers())))
            .toList());
  }

  /** The virtual service a packet to {@code dst:port} would hit. */
  public Optional<Service> find(Proto p, IpAddr dst, int port) {
    return services.stream()
        .filter(s -> s.proto() == p && s.address().equals(dst) && s.port() == port)
        .findFirst();
  }

  private static String hostPart(String hp) {
    int c = hp.lastIndexOf(':');
    return c < 0 ? hp : hp.substring(0, c);
  }

  private static int portPart(String hp) {
    int c = hp.lastIndexOf(':');
    try {
      return c < 0 ? -1 : Integer.parseInt(hp.substring(c + 1));
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
