package io.podpath.agent.netns;

import io.podpath.agent.errors.UnavailableException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The id (nsid) the calling thread's network namespace gives another namespace: RTM_GETNSID with
 * NETNSA_FD, what {@code ip netns list-id} does for named namespaces, for any namespace file. A
 * veth's {@code link_netnsid} is its peer's namespace in these ids, so equal ids prove that a
 * namespace holds the peer (ifindex numbers prove nothing: they repeat across namespaces).
 */
public final class Nsid {
  /** The namespace has no id here: nothing in this namespace links to it. */
  public static final int NOT_ASSIGNED = -1;

  private static final short RTM_NEWNSID = 88;
  private static final short RTM_GETNSID = 90;
  private static final short NLMSG_ERROR = 2;
  private static final short NLM_F_REQUEST = 1;
  private static final short NETNSA_NSID = 1;
  private static final short NETNSA_FD = 3;

  private Nsid() {}

  /**
   * The id of the namespace at {@code nsFile} as seen from the calling thread's namespace, or
   * {@link #NOT_ASSIGNED}. Run it on a thread in the node's namespace (see {@link NetnsExecutor}).
   *
   * @throws UnavailableException when the file cannot be opened or netlink refuses
   */
  public static int of(Path nsFile) {
    int target;
    try {
      target = Native.openNs(nsFile.toString());
    } catch (Native.NativeException e) {
      throw new UnavailableException(
          nsFile.toString(), Objects.requireNonNullElse(e.getMessage(), e.toString()), e);
    }
    try {
      int sock = Native.netlinkRoute();
      try {
        Native.send(sock, request(target));
        byte[] buf = new byte[512];
        int n = Native.recvNow(sock, buf);
        return parse(ByteBuffer.wrap(buf, 0, n).order(ByteOrder.nativeOrder()), nsFile);
      } finally {
        Native.close(sock);
      }
    } catch (Native.NativeException e) {
      throw new UnavailableException(
          "netlink RTM_GETNSID " + nsFile,
          Objects.requireNonNullElse(e.getMessage(), e.toString()),
          e);
    } finally {
      Native.close(target);
    }
  }

  /** nlmsghdr, rtgenmsg (AF_UNSPEC, padded to 4), one u32 attribute NETNSA_FD. */
  static byte[] request(int fd) {
    ByteBuffer b = ByteBuffer.allocate(28).order(ByteOrder.nativeOrder());
    b.putInt(28).putShort(RTM_GETNSID).putShort(NLM_F_REQUEST).putInt(1).putInt(0);
    b.putInt(0);
    b.putShort((short) 8).putShort(NETNSA_FD).putInt(fd);
    return b.array();
  }

  static int parse(ByteBuffer b, Path nsFile) {
    int len = b.getInt(0);
    short type = b.getShort(4);
    if (type == NLMSG_ERROR) {
      int errno = -b.getInt(16);
      throw new UnavailableException(
          "netlink RTM_GETNSID " + nsFile, "the kernel answered errno " + errno);
    }
    if (type != RTM_NEWNSID) {
      throw new UnavailableException(
          "netlink RTM_GETNSID " + nsFile, "unexpected message type " + type);
    }
    for (int at = 20; at + 4 <= Math.min(len, b.limit()); ) {
      int rtaLen = b.getShort(at) & 0xffff;
      short rtaType = b.getShort(at + 2);
      if (rtaLen < 4) {
        break;
      }
      if (rtaType == NETNSA_NSID && rtaLen >= 8) {
        return b.getInt(at + 4);
      }
      at += (rtaLen + 3) & ~3;
    }
    return NOT_ASSIGNED;
  }
}
