package io.podpath.agent.netns;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One rtnetlink dump (RTM_GETLINK, RTM_GETADDR, RTM_GETROUTE with NLM_F_DUMP) in the calling
 * thread's network namespace: what {@code ip -j addr/route show} read, without starting a process.
 * Run it on a thread inside the namespace ({@link NetnsExecutor}). The kernel queues the next part
 * of a dump while the previous one is read, so non-blocking reads never miss it.
 */
public final class NetlinkRoute {
  static final short NLMSG_ERROR = 2;
  static final short NLMSG_DONE = 3;
  private static final short NLM_F_REQUEST = 1;
  private static final short NLM_F_DUMP = 0x300;
  private static final int MAX_PARTS = 10_000;

  private NetlinkRoute() {}

  /**
   * The messages (each starting at its nlmsghdr, native byte order) answering a dump of {@code
   * type} with the family header {@code body}.
   *
   * @throws IOException when the socket fails or the kernel answers with an error
   */
  public static List<ByteBuffer> dump(short type, byte[] body) throws IOException {
    try {
      int sock = Native.netlinkRoute();
      try {
        Native.send(sock, request(type, body));
        return read(sock);
      } finally {
        Native.close(sock);
      }
    } catch (Native.NativeException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  /** The kernel refused a request: its errno and libc's text for it. */
  public static final class Refused extends IOException {
    private static final long serialVersionUID = 1L;
    private final int errno;

    Refused(int errno, String text) {
      super(text);
      this.errno = errno;
    }

    public int errno() {
      return errno;
    }
  }

  /**
   * The one answer to a request ({@code type} with {@code body}: family header and attributes), as
   * for {@code ip route get}: rtnetlink answers a request before send() returns.
   *
   * @throws Refused when the kernel answers with an error (no route, say)
   * @throws IOException when the socket fails or the answer cannot be read
   */
  public static ByteBuffer ask(short type, byte[] body) throws IOException {
    try {
      int sock = Native.netlinkRoute();
      try {
        byte[] req = request(type, body);
        ByteBuffer.wrap(req).order(ByteOrder.nativeOrder()).putShort(6, NLM_F_REQUEST);
        Native.send(sock, req);
        byte[] buf = new byte[16 << 10];
        int n = Native.recvNow(sock, buf);
        ByteBuffer b = ByteBuffer.wrap(Arrays.copyOf(buf, n)).order(ByteOrder.nativeOrder());
        int len = n >= 16 ? b.getInt(0) : 0;
        if (len < 16 || len > n) {
          throw new IOException("rtnetlink: malformed answer of " + n + " bytes");
        }
        if (b.getShort(4) == NLMSG_ERROR) {
          int errno = len >= 20 ? -b.getInt(16) : 0;
          throw new Refused(errno, Native.errnoText(errno));
        }
        return b.slice(0, len).order(ByteOrder.nativeOrder());
      } finally {
        Native.close(sock);
      }
    } catch (Native.NativeException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  static byte[] request(short type, byte[] body) {
    ByteBuffer b = ByteBuffer.allocate(16 + body.length).order(ByteOrder.nativeOrder());
    b.putInt(16 + body.length).putShort(type).putShort((short) (NLM_F_REQUEST | NLM_F_DUMP));
    b.putInt(1).putInt(0).put(body);
    return b.array();
  }

  private static List<ByteBuffer> read(int sock) throws Native.NativeException, IOException {
    List<ByteBuffer> out = new ArrayList<>();
    byte[] buf = new byte[64 << 10];
    for (int part = 0; part < MAX_PARTS; part++) {
      int n = Native.recvNow(sock, buf);
      ByteBuffer b = ByteBuffer.wrap(Arrays.copyOf(buf, n)).order(ByteOrder.nativeOrder());
      for (int at = 0; at + 16 <= n; ) {
        int len = b.getInt(at);
        short t = b.getShort(at + 4);
        if (len < 16 || at + len > n) {
          throw new IOException("rtnetlink: malformed message of length " + len);
        }
        if (t == NLMSG_DONE) {
          return out;
        }
        if (t == NLMSG_ERROR) {
          int errno = -b.getInt(at + 16);
          throw new IOException("rtnetlink dump refused (errno " + errno + ")");
        }
        out.add(b.slice(at, len).order(ByteOrder.nativeOrder()));
        at += (len + 3) & ~3;
      }
    }
    throw new IOException("rtnetlink dump did not end after " + MAX_PARTS + " parts");
  }
}
