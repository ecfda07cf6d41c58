package io.podpath.agent.netns;

import java.io.Closeable;
import java.io.IOException;
import java.net.Inet4Address;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;

/**
 * A raw IPv4 socket of one IP protocol in the calling thread's network namespace: the kernel adds
 * the IP header to what is sent and hands every packet of that protocol addressed to the namespace
 * back with its IP header. It sends a transport the kernel may not implement (SCTP without its
 * module); while it is open, such packets reach it instead of drawing an ICMP protocol-unreachable.
 * Not thread-safe; close it once.
 */
public final class RawIpSocket implements Closeable {
  private static final int AF_INET = 2;
  private static final int SOCK_RAW = 3;
  private static final int SOCK_CLOEXEC = 0x80000;
  private static final int SOL_SOCKET = 1;
  private static final int SO_RCVTIMEO = 20;
  private static final int EAGAIN = 11;
  private static final int EINTR = 4;
  private static final int SOCKADDR_IN = 16;

  private final int fd;
  private final int protocol;
  private boolean closed;

  private RawIpSocket(int fd, int protocol) {
    this.fd = fd;
    this.protocol = protocol;
  }

  /** Opens the socket for IP protocol {@code protocol} (1-254). */
  public static RawIpSocket open(int protocol) throws IOException {
    if (protocol < 1 || protocol > 254) {
      throw new IllegalArgumentException("IP protocol: 1-254, got " + protocol);
    }
    int fd = Native.libc().socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, protocol);
    if (fd < 0) {
      throw new IOException("socket(AF_INET, SOCK_RAW, " + protocol + "): " + Native.errorText());
    }
    return new RawIpSocket(fd, protocol);
  }

  /** Sends {@code payload} (the transport header and data) to {@code dst}. */
  public void send(byte[] payload, Inet4Address dst) throws IOException {
    ByteBuffer sin = ByteBuffer.allocate(SOCKADDR_IN).order(ByteOrder.nativeOrder());
    sin.putShort(0, (short) AF_INET);
    sin.position(4);
    sin.put(dst.getAddress());
    long n = Native.libc().sendto(fd, payload, payload.length, 0, sin.array(), SOCKADDR_IN);
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

  /** Waits up to {@code timeout} (at least 1 ms) for one packet, IP header included. */
  public Optional<byte[]> receive(Duration timeout, int cap) throws IOException {
    long micros = Math.max(1000, timeout.toNanos() / 1000);
    ByteBuffer tv = ByteBuffer.allocate(16).order(ByteOrder.nativeOrder());
    tv.putLong(0, micros / 1_000_000).putLong(8, micros % 1_000_000);
    if (Native.libc().setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, tv.array(), 16) != 0) {
      throw new IOException("setsockopt(SO_RCVTIMEO): " + Native.errorText());
    }
    byte[] buf = new byte[cap];
    long n = Native.libc().recv(fd, buf, buf.length, 0);
    if (n < 0) {
      int errno = Native.lastErrno();
      if (errno == EAGAIN || errno == EINTR) {
        return Optional.empty();
      }
      throw new IOException("recv(raw IP protocol " + protocol + "): " + Native.errorText());
    }
    return Optional.of(Arrays.copyOf(buf, (int) Math.min(n, cap)));
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      Native.close(fd);
    }
  }
}
