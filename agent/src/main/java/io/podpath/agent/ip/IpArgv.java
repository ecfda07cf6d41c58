package io.podpath.agent.ip;

import com.google.common.net.InetAddresses;
import java.net.InetAddress;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The iproute2 command lines the agent runs, in one place (their JSON is read by {@link IpJson}):
 * callers that record a command as evidence run these argv lists through their own port.
 */
public final class IpArgv {
  private static final Pattern IFNAME = Pattern.compile("[A-Za-z0-9_.:@-]{1,15}");

  private IpArgv() {}

  /** Every link with its addresses. */
  public static List<String> addrShow() {
    return List.of("ip", "-j", "addr", "show");
  }

  /** Every link. */
  public static List<String> linkShow() {
    return List.of("ip", "-j", "link", "show");
  }

  /** Every veth of the namespace. */
  public static List<String> vethShow() {
    return List.of("ip", "-j", "link", "show", "type", "veth");
  }

  /** One link; the name must be a valid interface name. */
  public static List<String> linkShow(String ifname) {
    return List.of("ip", "-j", "link", "show", "dev", ifname(ifname));
  }

  /** One link with its counters. */
  public static List<String> linkStats(String ifname) {
    return List.of("ip", "-s", "-j", "link", "show", "dev", ifname(ifname));
  }

  /** The route the kernel picks for {@code dst}. */
  /** The main routing table of one family ({@code ip -j [-6] route show}). */
  public static List<String> routeShow(boolean ipv6) {
    return ipv6 ? List.of("ip", "-j", "-6", "route", "show") : List.of("ip", "-j", "route", "show");
  }

  public static List<String> routeGet(InetAddress dst) {
    return List.of("ip", "-j", "route", "get", InetAddresses.toAddrString(dst));
  }

  private static String ifname(String name) {
    if (!IFNAME.matcher(name).matches()) {
      throw new IllegalArgumentException("not an interface name: " + name);
    }
    return name;
  }
}
