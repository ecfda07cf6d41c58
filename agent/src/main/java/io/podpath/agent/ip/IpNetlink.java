package io.podpath.agent.ip;

import io.podpath.agent.netns.NetlinkRoute;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;

/**
 * A namespace's links with their addresses and its IPv4 and IPv6 main-table routes, read over
 * rtnetlink in-process, as the same records {@code ip -j addr show} and {@code ip -j -4|-6 route
 * show} give (IpJson): a trace reads a pod's end this way on every trace, where a process each time
 * was most of a warm trace's wall time. Run {@link #read()} on a thread inside the namespace.
 * Fields a pod end does not use (counters, a veth's peer) are left empty; IpNetlinkSandboxTest
 * holds the rest equal to ip's on real pods.
 */
public final class IpNetlink {
  private static final short RTM_NEWLINK = 16;
  private static final short RTM_GETLINK = 18;
  private static final short RTM_NEWADDR = 20;
  private static final short RTM_GETADDR = 22;
  private static final short RTM_NEWROUTE = 24;
  private static final short RTM_GETROUTE = 26;
  private static final int AF_INET = 2;
  private static final int AF_INET6 = 10;
  private static final int RT_TABLE_MAIN = 254;

  // ip's print_link_flags order; IFF_RUNNING is shown as the absence of NO-CARRIER.
  private static final String[] FLAG_NAMES = {
    "LOOPBACK",
    "BROADCAST",
    "POINTOPOINT",
    "MULTICAST",
    "NOARP",
    "ALLMULTI",
    "PROMISC",
    "MASTER",
    "SLAVE",
    "DEBUG",
    "DYNAMIC",
    "AUTOMEDIA",
    "PORTSEL",
    "NOTRAILERS",
    "UP",
    "LOWER_UP",
    "DORMANT",
    "ECHO"
  };
  private static final int[] FLAG_BITS = {
    0x8, 0x2, 0x10, 0x1000, 0x80, 0x200, 0x100, 0x400, 0x800, 0x4, 0x8000, 0x4000, 0x2000, 0x20,
    0x1, 0x10000, 0x20000, 0x40000
  };
  private static final String[] OPERSTATES = {
    "UNKNOWN", "NOTPRESENT", "DOWN", "LOWERLAYERDOWN", "TESTING", "DORMANT", "UP"
  };

  private IpNetlink() {}

  /**
   * Links (with addresses) and IPv4 and IPv6 main-table routes of the calling thread's namespace.
   */
  public record Stack(List<IpLink> links, List<IpRoute> routes, List<IpRoute> routes6) {
    public Stack {
      links = List.copyOf(links);
      routes = List.copyOf(routes);
      routes6 = List.copyOf(routes6);
    }
  }

  /**
   * @throws IOException when netlink refuses or answers what this cannot read
   */
  public static Stack read() throws IOException {
    List<ByteBuffer> linkMsgs = NetlinkRoute.dump(RTM_GETLINK, new byte[16]);
    List<ByteBuffer> addrMsgs = NetlinkRoute.dump(RTM_GETADDR, new byte[8]);
    byte[] rtmsg = new byte[12];
    rtmsg[0] = AF_INET;
    List<ByteBuffer> routeMsgs = NetlinkRoute.dump(RTM_GETROUTE, rtmsg);
    byte[] rtmsg6 = new byte[12];
    rtmsg6[0] = AF_INET6;
    List<ByteBuffer> route6Msgs = NetlinkRoute.dump(RTM_GETROUTE, rtmsg6);
    return parse(linkMsgs, addrMsgs, routeMsgs, route6Msgs);
  }

  /** A device {@code ip route get ... iif NAME} names that the namespace does not have. */
  public static final class UnknownDevice extends IOException {
    private static final long serialVersionUID = 1L;

    UnknownDevice(String name) {
      super("Cannot find device \"" + name + "\"");
    }
  }

  /**
   * What {@code ip -j route get DST [from SRC] [iif DEV] [mark M]} answers (either family), as the
   * route IpJson.routeGet gives, asked over rtnetlink in the calling thread's namespace with the
   * attributes iproute2 sends.
   *
   * @throws NetlinkRoute.Refused when the kernel has no route (its errno text, as ip prints it)
   * @throws UnknownDevice when {@code iif} is no device here
   */
  public static IpRoute routeGet(
      InetAddress dst, Optional<InetAddress> from, Optional<String> iif, long mark)
      throws IOException {
    Map<Integer, String> names = linkNames();
    boolean v6 = dst.getAddress().length == 16;
    if (from.isPresent() && from.get().getAddress().length != dst.getAddress().length) {
      throw new IllegalArgumentException("route get: source and destination of different families");
    }
    int bits = v6 ? 128 : 32;
    ByteBuffer b = ByteBuffer.allocate(12 + 20 + 20 + 8 + 8).order(ByteOrder.nativeOrder());
    // rtmsg: family, dst_len, src_len, tos, table, protocol, scope, type, flags
    b.put((byte) (v6 ? AF_INET6 : AF_INET)).put((byte) bits);
    b.put((byte) (from.isPresent() ? bits : 0)).put((byte) 0);
    b.put((byte) 0).put((byte) 0).put((byte) 0).put((byte) 0).putInt(0);
    attr(b, 1, dst.getAddress()); // RTA_DST
    if (from.isPresent()) {
      attr(b, 2, from.get().getAddress()); // RTA_SRC
    }
    if (iif.isPresent()) {
      int index =
          names.entrySet().stream()
              .filter(e -> e.getValue().equals(iif.get()))
              .map(Map.Entry::getKey)
              .findFirst()
              .orElseThrow(() -> new UnknownDevice(iif.get()));
      attr(b, 3, ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(index).array());
    }
    if (mark != 0) {
      attr(b, 16, ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt((int) mark).array());
    }
    byte[] body = Arrays.copyOf(b.array(), b.position());
    ByteBuffer answer = NetlinkRoute.ask(RTM_GETROUTE, body);
    if (answer.getShort(4) != RTM_NEWROUTE) {
      throw new IOException("rtnetlink: route get answered message type " + answer.getShort(4));
    }
    return route(answer, names, false, v6 ? AF_INET6 : AF_INET)
        .orElseThrow(() -> new IOException("rtnetlink: route get answered another family"));
  }

  /** ifindex → name of the calling thread's namespace. */
  public static Map<Integer, String> linkNames() throws IOException {
    Map<Integer, String> out = new HashMap<>();
    for (ByteBuffer m : NetlinkRoute.dump(RTM_GETLINK, new byte[16])) {
      if (m.getShort(4) == RTM_NEWLINK) {
        out.put(m.getInt(20), string(attrs(m, 32).get(3)));
      }
    }
    return out;
  }

  private static void attr(ByteBuffer b, int type, byte[] value) {
    b.putShort((short) (4 + value.length)).putShort((short) type).put(value);
    for (int pad = (4 - value.length % 4) % 4; pad > 0; pad--) {
      b.put((byte) 0);
    }
  }

  static Stack parse(
      List<ByteBuffer> linkMsgs,
      List<ByteBuffer> addrMsgs,
      List<ByteBuffer> routeMsgs,
      List<ByteBuffer> route6Msgs)
      throws IOException {
    Map<Integer, List<IpLink.IpAddr>> addrs = new HashMap<>();
    for (ByteBuffer m : addrMsgs) {
      if (m.getShort(4) == RTM_NEWADDR) {
        address(m, addrs);
      }
    }
    Map<Integer, IpLink> links = new LinkedHashMap<>();
    for (ByteBuffer m : linkMsgs) {
      if (m.getShort(4) == RTM_NEWLINK) {
        IpLink l = link(m, addrs);
        links.put(l.ifindex(), l);
      }
    }
    return new Stack(
        new ArrayList<>(links.values()),
        routes(routeMsgs, links, AF_INET),
        routes(route6Msgs, links, AF_INET6));
  }

  private static List<IpRoute> routes(List<ByteBuffer> msgs, Map<Integer, IpLink> links, int family)
      throws IOException {
    Map<Integer, String> names = new HashMap<>();
    links.forEach((i, l) -> names.put(i, l.name()));
    List<IpRoute> routes = new ArrayList<>();
    for (ByteBuffer m : msgs) {
      if (m.getShort(4) == RTM_NEWROUTE) {
        route(m, names, true, family).ifPresent(routes::add);
      }
    }
    return routes;
  }

  private static IpLink link(ByteBuffer m, Map<Integer, List<IpLink.IpAddr>> addrs) {
    int index = m.getInt(20);
    int flags = m.getInt(24);
    Map<Integer, ByteBuffer> a = attrs(m, 32);
    List<String> names = new ArrayList<>();
    if ((flags & 0x1) != 0 && (flags & 0x40) == 0) {
      names.add("NO-CARRIER");
    }
    for (int i = 0; i < FLAG_BITS.length; i++) {
      if ((flags & FLAG_BITS[i]) != 0) {
        names.add(FLAG_NAMES[i]);
      }
    }
    int oper = a.containsKey(16) ? a.get(16).get(0) & 0xff : 0;
    return new IpLink(
        index,
        string(a.get(3)),
        OptionalInt.empty(),
        OptionalInt.empty(),
        a.containsKey(4) ? a.get(4).getInt(0) : 0,
        a.containsKey(1) ? mac(a.get(1)) : "",
        oper < OPERSTATES.length ? OPERSTATES[oper] : "UNKNOWN",
        names,
        addrs.getOrDefault(index, List.of()),
        IpLink.Counters.NONE,
        IpLink.Counters.NONE);
  }

  private static void address(ByteBuffer m, Map<Integer, List<IpLink.IpAddr>> out)
      throws IOException {
    int family = m.get(16) & 0xff;
    int prefixlen = m.get(17) & 0xff;
    int scope = m.get(19) & 0xff;
    int index = m.getInt(20);
    Map<Integer, ByteBuffer> a = attrs(m, 24);
    ByteBuffer local = a.containsKey(2) ? a.get(2) : a.get(1); // IFA_LOCAL, else IFA_ADDRESS
    if (local == null || (family != AF_INET && family != AF_INET6)) {
      return;
    }
    out.computeIfAbsent(index, k -> new ArrayList<>())
        .add(
            new IpLink.IpAddr(
                family == AF_INET ? "inet" : "inet6", ip(local), prefixlen, scope(scope)));
  }

  private static Optional<IpRoute> route(
      ByteBuffer m, Map<Integer, String> names, boolean mainOnly, int family) throws IOException {
    int dstLen = m.get(17) & 0xff;
    int table = m.get(20) & 0xff;
    int protocol = m.get(21) & 0xff;
    int scope = m.get(22) & 0xff;
    int type = m.get(23) & 0xff;
    Map<Integer, ByteBuffer> a = attrs(m, 28);
    if (a.containsKey(15)) { // RTA_TABLE: the full table id
      table = a.get(15).getInt(0);
    }
    if ((mainOnly && table != RT_TABLE_MAIN) || (m.get(16) & 0xff) != family) {
      return Optional.empty();
    }
    int host = family == AF_INET6 ? 128 : 32;
    String dst =
        dstLen == 0 ? "default" : ip(a.get(1)) + (dstLen == host ? "" : "/" + dstLen); // RTA_DST
    int mtu = 0;
    if (a.containsKey(8)) { // RTA_METRICS, nested: RTAX_MTU = 2
      ByteBuffer metrics = a.get(8);
      Map<Integer, ByteBuffer> nested = attrs(metrics, 0);
      if (nested.containsKey(2)) {
        mtu = nested.get(2).getInt(0);
      }
    }
    String dev = "";
    if (a.containsKey(4)) { // RTA_OIF
      dev = names.getOrDefault(a.get(4).getInt(0), "");
    }
    return Optional.of(
        new IpRoute(
            type(type),
            dst,
            a.containsKey(5) ? ip(a.get(5)) : "", // RTA_GATEWAY
            dev,
            protocol == 3 ? "" : protocol(protocol), // ip omits "boot" (the default)
            scope == 0 ? "" : scope(scope),
            a.containsKey(7) ? ip(a.get(7)) : "", // RTA_PREFSRC
            mtu));
  }

  /** Attributes (type without the nested/byte-order bits → payload) from {@code from} on. */
  private static Map<Integer, ByteBuffer> attrs(ByteBuffer m, int from) {
    Map<Integer, ByteBuffer> out = new HashMap<>();
    int end = m.limit();
    for (int at = from; at + 4 <= end; ) {
      int len = m.getShort(at) & 0xffff;
      if (len < 4 || at + len > end) {
        break;
      }
      out.putIfAbsent(
          m.getShort(at + 2) & 0x3fff, m.slice(at + 4, len - 4).order(ByteOrder.nativeOrder()));
      at += (len + 3) & ~3;
    }
    return out;
  }

  private static String string(@Nullable ByteBuffer b) {
    if (b == null) {
      return "";
    }
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < b.limit() && b.get(i) != 0; i++) {
      s.append((char) (b.get(i) & 0xff));
    }
    return s.toString();
  }

  private static String mac(ByteBuffer b) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < b.limit(); i++) {
      s.append(i == 0 ? "" : ":").append(String.format("%02x", b.get(i) & 0xff));
    }
    return s.toString();
  }

  private static String ip(@Nullable ByteBuffer b) throws IOException {
    if (b == null || (b.limit() != 4 && b.limit() != 16)) {
      throw new IOException("rtnetlink: an address attribute of an unexpected size");
    }
    byte[] raw = new byte[b.limit()];
    b.get(0, raw);
    try {
      return IpLiteral.format(InetAddress.getByAddress(raw));
    } catch (UnknownHostException e) {
      throw new IOException(e);
    }
  }

  private static String scope(int s) {
    return switch (s) {
      case 0 -> "global";
      case 200 -> "site";
      case 253 -> "link";
      case 254 -> "host";
      case 255 -> "nowhere";
      default -> Integer.toString(s);
    };
  }

  private static String type(int t) {
    String[] names = {
      "unspec",
      "unicast",
      "local",
      "broadcast",
      "anycast",
      "multicast",
      "blackhole",
      "unreachable",
      "prohibit",
      "throw",
      "nat",
      "xresolve"
    };
    return t < names.length ? names[t] : Integer.toString(t);
  }

  private static String protocol(int p) {
    return switch (p) {
      case 0 -> "unspec";
      case 1 -> "redirect";
      case 2 -> "kernel";
      case 4 -> "static";
      case 16 -> "dhcp";
      default -> Integer.toString(p);
    };
  }
}
