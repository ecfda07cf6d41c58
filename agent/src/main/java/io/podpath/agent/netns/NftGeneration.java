package io.podpath.agent.netns;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.OptionalLong;

/**
 * The nf_tables ruleset generation of the calling thread's network namespace (NFT_MSG_GETGEN, what
 * {@code nft list ruleset} prints as "generation"): the kernel bumps it on every committed change
 * of any table, chain or rule, iptables-nft's included. One netlink round trip, no process: a cheap
 * signal that iptables-save would print something else. Empty when the namespace has no nf_tables
 * (iptables-legacy only) or netlink refuses.
 */
public final class NftGeneration {
  private static final short NFNL_SUBSYS_NFTABLES = 10;
  private static final short NFT_MSG_NEWGEN = 15;
  private static final short NFT_MSG_GETGEN = 16;
  private static final short NLMSG_ERROR = 2;
  private static final short NLM_F_REQUEST = 1;
  private static final short NFTA_GEN_ID = 1;

  private NftGeneration() {}

  /** Run it on a thread in the namespace to ask about (see {@link NetnsExecutor}). */
  public static OptionalLong current() {
    try {
      int sock = Native.netlinkNetfilter();
      try {
        Native.send(sock, request());
        byte[] buf = new byte[256];
        int n = Native.recvNow(sock, buf);
        return parse(ByteBuffer.wrap(buf, 0, n).order(ByteOrder.nativeOrder()));
      } finally {
        Native.close(sock);
      }
    } catch (Native.NativeException e) {
      return OptionalLong.empty();
    }
  }

  /** nlmsghdr and nfgenmsg (AF_UNSPEC, NFNETLINK_V0, res_id 0). */
  static byte[] request() {
    ByteBuffer b = ByteBuffer.allocate(20).order(ByteOrder.nativeOrder());
    b.putInt(20).putShort((short) (NFNL_SUBSYS_NFTABLES << 8 | NFT_MSG_GETGEN));
    b.putShort(NLM_F_REQUEST).putInt(1).putInt(0);
    b.put((byte) 0).put((byte) 0).putShort((short) 0);
    return b.array();
  }

  static OptionalLong parse(ByteBuffer b) {
    if (b.limit() < 20) {
      return OptionalLong.empty();
    }
    int len = b.getInt(0);
    short type = b.getShort(4);
    if (type == NLMSG_ERROR || type != (short) (NFNL_SUBSYS_NFTABLES << 8 | NFT_MSG_NEWGEN)) {
      return OptionalLong.empty();
    }
    for (int at = 20; at + 4 <= Math.min(len, b.limit()); ) {
      int attrLen = b.getShort(at) & 0xffff;
      short attrType = (short) (b.getShort(at + 2) & 0x3fff);
      if (attrLen < 4) {
        break;
      }
      if (attrType == NFTA_GEN_ID && attrLen >= 8) {
        // netfilter attributes are big-endian
        return OptionalLong.of(
            Integer.toUnsignedLong(b.order(ByteOrder.BIG_ENDIAN).getInt(at + 4)));
      }
      at += (attrLen + 3) & ~3;
    }
    return OptionalLong.empty();
  }
}
