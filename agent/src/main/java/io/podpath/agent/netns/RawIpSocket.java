package io.podpath.agent.netns;

import java.io.Closeable;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import jnr.ffi.byref.IntByReference;

/**
 * A raw IPv4 or IPv6 socket of one IP protocol in the calling thread's network namespace: the
 * kernel adds the IP header to what is sent and hands back every packet of that protocol addressed
 * to the namespace: IPv4 with its IP header, IPv6 without (raw(7), raw IPv6 sockets never see the
 * header), each with the address it came from. It sends a transport the kernel may not implement
 * (SCTP without its module); while it is open, such packets reach it instead of drawing an ICMP
 * (ICMPv6) protocol-unreachable. Not thread-safe; close it once.
 */
public final class RawIpSocket implements Closeable {
  private static final int AF_INET = 2;
  private static final int AF_INET6 = 10;
  private static final int SOCK_RAW = 3;
  private static final int SOCK_CLOEXEC = 0x80000;
  private static final int SOL_SOCKET = 1;
  private static final int SO_RCVTIMEO = 20;
  private static final int EAGAIN = 11;
  private static final int EINTR = 4;
  private static final int SOCKADDR_IN = 16;
  private static final int SOCKADDR_IN6 = 28;

  private final int fd;
  private final int protocol;
  private final boolean ipv6;
  private boolean closed;

  /** One packet read: IPv4 with its IP header, IPv6 the payload alone; and its source. */
  public record Datagram(byte[] data, InetAddress from) {}

  private RawIpSocket(int fd, int protocol, boolean ipv6) {
    this.fd = fd;
    this.protocol = protocol;
    this.ipv6 = ipv6;
  }

  /** Opens the socket for IP protocol {@code protocol} (1-254) in the family of {@code peer}. */
  public static RawIpSocket open(int protocol, InetAddress peer) throws IOException {
    if (protocol < 1 || protocol > 254) {
      throw new IllegalArgumentException("IP protocol: 1-254, got " + protocol);
    }
    boolean v6 = peer instanceof Inet6Address;
    int fd = Native.libc().socket(v6 ? AF_INET6 : AF_INET, SOCK_RAW | SOCK_CLOEXEC, protocol);
    if (fd < 0) {
      throw new IOException(
          "socket("
              + (v6 ? "AF_INET6" : "AF_INET")
              + ", SOCK_RAW, "
              + protocol
              + "): "
              + Native.errorText());
    }
    return new RawIpSocket(fd, protocol, v6);
  }

  /**
   * Sends {@code payload} (the transport header and data) to {@code dst}, of the socket's family.
   */
  public void send(byte[] payload, InetAddress dst) throws IOException {
    if ((dst instanceof Inet6Address) != ipv6) {
      throw new IllegalArgumentException("the socket is IPv" + (ipv6 ? 6 : 4) + ": " + dst);
    }
    int len = ipv6 ? SOCKADDR_IN6 : SOCKADDR_IN;
    ByteBuffer sa = ByteBuffer.allocate(len).order(ByteOrder.nativeOrder());
    sa.putShort(0, (short) (ipv6 ? AF_INET6 : AF_INET));
    // port 0; sockaddr_in6: flow info 0, the address at 8, scope id 0 (global destinations)
    sa.position(ipv6 ? 8 : 4);
    sa.put(dst.getAddress());
    long n = Native.libc().sendto(fd, payload, payload.length, 0, sa.array(), len);
    if (n != payload.length) {
      throw new IOException(
          "sendto(raw IP protocol "
              + protocol
              + ", "
              + dst.getHostAddress()
              + "): "
              + Native.errorText());
    }
  }

  /** Waits up to {@code timeout} (at least 1 ms) for one packet. */
  public Optional<Datagram> receive(Duration timeout, int cap) throws IOException {
    long micros = Math.max(1000, timeout.toNanos() / 1000);
    ByteBuffer tv = ByteBuffer.allocate(16).order(ByteOrder.nativeOrder());
    tv.putLong(0, micros / 1_000_000).putLong(8, micros % 1_000_000);
    if (Native.libc().setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, tv.array(), 16) != 0) {
      throw new IOException("setsockopt(SO_RCVTIMEO): " + Native.errorText());
    }
    byte[] buf = new byte[cap];
    byte[] addr = new byte[SOCKADDR_IN6];
    IntByReference addrLen = new IntByReference(addr.length);
    long n = Native.libc().recvfrom(fd, buf, buf.length, 0, addr, addrLen);
    if (n < 0) {
      int errno = Native.lastErrno();
      if (errno == EAGAIN || errno == EINTR) {
        return Optional.empty();
      }
      throw new IOException("recvfrom(raw IP protocol " + protocol + "): " + Native.errorText());
    }
    byte[] from = ipv6 ? Arrays.copyOfRange(addr, 8, 24) : Arrays.copyOfRange(addr, 4, 8);
    try {
      return Optional.of(
          new Datagram(Arrays.copyOf(buf, (int) Math.min(n, cap)), InetAddress.getByAddress(from)));
    } catch (UnknownHostException e) {
      throw new IllegalStateException("a 4- or 16-byte address", e);
    }
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      Native.close(fd);
    }
  }
}
