package io.podpath.agent.netns;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.byref.IntByReference;

/**
 * An AF_PACKET socket on every interface of the calling thread's network namespace, with a classic
 * BPF program attached before it is bound (so not one unfiltered frame is queued). Open means
 * capturing: a packet sent after {@link #open} returns is seen. Not thread-safe; close it once.
 */
public final class PacketSocket implements AutoCloseable {
  private static final int AF_PACKET = 17;
  private static final int SOCK_RAW = 3;
  private static final int SOCK_CLOEXEC = 0x80000;
  private static final int ETH_P_ALL = 0x0003;
  private static final int SOL_SOCKET = 1;
  private static final int SO_ATTACH_FILTER = 26;
  private static final int SO_RCVTIMEO = 20;
  private static final int EAGAIN = 11;
  private static final int EINTR = 4;
  private static final int SOCKADDR_LL = 20;

  /** A frame as read: its bytes, the interface index and the packet type (0 in, 4 out, …). */
  @SuppressWarnings(
      "ArrayRecordComponent") // one frame, read once and decoded at once; never compared
  public record Frame(byte[] data, int ifindex, int packetType) {}

  private final int fd;
  private boolean closed;

  private PacketSocket(int fd) {
    this.fd = fd;
  }

  /**
   * Opens the socket. {@code program} is the filter, already encoded as struct sock_filter[] in
   * native byte order (8 bytes per instruction).
   */
  public static PacketSocket open(byte[] program) throws IOException {
    if (program.length == 0 || program.length % 8 != 0 || program.length / 8 > 4096) {
      throw new IllegalArgumentException("BPF program: a multiple of 8 bytes, 1-4096 instructions");
    }
    Native.LibC c = Native.libc();
    // Protocol 0: the socket receives nothing until bind names ETH_P_ALL, after the filter.
    int fd = c.socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
    if (fd < 0) {
      throw new IOException("socket(AF_PACKET): " + Native.errorText());
    }
    PacketSocket s = new PacketSocket(fd);
    try {
      s.attach(program);
      s.bindAll();
      return s;
    } catch (IOException | RuntimeException e) {
      s.close();
      throw e;
    }
  }

  private void attach(byte[] program) throws IOException {
    Runtime rt = Runtime.getRuntime(Native.libc());
    Pointer filter = Memory.allocateDirect(rt, program.length);
    filter.put(0, program, 0, program.length);
    ByteBuffer fprog = ByteBuffer.allocate(16).order(ByteOrder.nativeOrder());
    fprog.putShort(0, (short) (program.length / 8));
    fprog.putLong(8, filter.address());
    // The kernel copies the program during the call; `filter` stays reachable until it returns.
    int rc = Native.libc().setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, fprog.array(), 16);
    Arrays.fill(fprog.array(), (byte) 0);
    if (rc != 0 || filter.address() == 0) {
      throw new IOException("setsockopt(SO_ATTACH_FILTER): " + Native.errorText());
    }
  }

  private void bindAll() throws IOException {
    ByteBuffer ll = ByteBuffer.allocate(SOCKADDR_LL).order(ByteOrder.nativeOrder());
    ll.putShort(0, (short) AF_PACKET);
    ll.order(ByteOrder.BIG_ENDIAN).putShort(2, (short) ETH_P_ALL);
    // sll_ifindex 0: every interface of the namespace.
    if (Native.libc().bind(fd, ll.array(), SOCKADDR_LL) != 0) {
      throw new IOException("bind(AF_PACKET, ETH_P_ALL): " + Native.errorText());
    }
  }

  /** Waits up to {@code timeout} (at least 1 ms) for one frame of at most {@code cap} bytes. */
  public Optional<Frame> receive(Duration timeout, int cap) throws IOException {
    long micros = Math.max(1000, timeout.toNanos() / 1000);
    ByteBuffer tv = ByteBuffer.allocate(16).order(ByteOrder.nativeOrder());
    tv.putLong(0, micros / 1_000_000).putLong(8, micros % 1_000_000);
    if (Native.libc().setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, tv.array(), 16) != 0) {
      throw new IOException("setsockopt(SO_RCVTIMEO): " + Native.errorText());
    }
    byte[] buf = new byte[cap];
    byte[] addr = new byte[SOCKADDR_LL];
    IntByReference len = new IntByReference(SOCKADDR_LL);
    long n = Native.libc().recvfrom(fd, buf, buf.length, 0, addr, len);
    if (n < 0) {
      int errno = Native.lastErrno();
      if (errno == EAGAIN || errno == EINTR) {
        return Optional.empty();
      }
      throw new IOException("recvfrom(AF_PACKET): " + Native.errorText());
    }
    ByteBuffer a = ByteBuffer.wrap(addr).order(ByteOrder.nativeOrder());
    return Optional.of(
        new Frame(Arrays.copyOf(buf, (int) Math.min(n, cap)), a.getInt(4), addr[10] & 0xff));
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      Native.close(fd);
    }
  }
}
