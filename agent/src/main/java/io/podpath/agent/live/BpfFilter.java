package io.podpath.agent.live;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the classic BPF program a live capture attaches: accept an Ethernet frame when it is a
 * packet of the marked exchange (either way, see {@link LiveMatch}), or a Geneve (UDP 6081) or
 * VXLAN (UDP 4789) frame over an IPv4 or IPv6 underlay whose inner packet is. Every constant comes
 * from a typed {@link LiveMatch}; the inner offset follows the outer IP header length (IPv6: 40)
 * and Geneve's option length, read from the frame. An IPv6 packet is matched without extension
 * headers but a Fragment header (a sender's own fragments: the first one, plain or tunnelled).
 */
public final class BpfFilter {
  /** The UDP destination ports OVS uses by default per tunnel type (options:dst_port unset). */
  public static final int GENEVE_PORT = 6081;

  public static final int VXLAN_PORT = 4789;

  /** Bytes of each accepted frame kept: every header a sighting reports fits. */
  public static final int SNAPLEN = 512;

  /** One struct sock_filter. */
  public record Insn(int code, int jt, int jf, int k) {}

  private static final int LDH_ABS = 0x28;
  private static final int LDB_ABS = 0x30;
  private static final int LDW_ABS = 0x20;
  private static final int LDH_IND = 0x48;
  private static final int LDB_IND = 0x50;
  private static final int LDW_IND = 0x40;
  private static final int LDX_MSH = 0xb1;
  private static final int LDX_IMM = 0x01;
  private static final int JEQ = 0x15;
  private static final int JSET = 0x45;
  private static final int AND = 0x54;
  private static final int LSH = 0x64;
  private static final int ADD_X = 0x0c;
  private static final int TAX = 0x07;
  private static final int TXA = 0x87;
  private static final int ADD_K = 0x04;
  private static final int RET = 0x06;

  private final List<Object[]> code = new ArrayList<>();
  private final Map<String, Integer> labels = new HashMap<>();

  private BpfFilter() {}

  /** The program for {@code m}. */
  public static List<Insn> program(LiveMatch m) {
    BpfFilter b = new BpfFilter();
    int proto = m.ipProto();
    b.op(LDH_ABS, 12).jeq(0x0800, m.v6() ? "encap" : "plain", "eth6");
    b.label("eth6").jeq(0x86DD, m.v6() ? "plain6" : "encap6", "drop");
    if (!m.v6()) {
      // The packet itself (pod veth, node interfaces): IPv4 proto, first fragment, an end, the
      // mark.
      b.label("plain").op(LDB_ABS, 23).jeq(proto, "p1", "encap");
      b.label("p1").op(LDH_ABS, 20).jump(JSET, 0x1fff, "encap", "p2");
      b.label("p2").op(LDW_ABS, 26);
      b.ends(m, "p4", "p3");
      b.label("p3").op(LDW_ABS, 30);
      b.ends(m, "p4", "encap");
      b.label("p4").op(LDX_MSH, 14);
      b.mark(m, 14, "accept", "encap");
    } else {
      // IPv6: next header, or the first fragment of a packet the sender fragmented (Fragment
      // header 44, offset 0: the transport header 8 bytes later), an end, the mark.
      b.label("plain6").op(LDB_ABS, 20).jeq(proto, "q0", "f0");
      b.label("f0").jeq(44, "f1", "encap6");
      b.label("f1").op(LDB_ABS, 54).jeq(proto, "f2", "encap6");
      b.label("f2").op(LDH_ABS, 56).jump(JSET, 0xfff8, "encap6", "f3");
      b.label("f3").op(LDX_IMM, 8).jeq(0, "q1", "q1");
      b.label("q0").op(LDX_IMM, 0);
      b.label("q1").ends6(m, false, 22, "q2", "q1d");
      b.label("q1d").ends6(m, false, 38, "q2", "encap6");
      b.label("q2").mark(m, 54, "accept", "encap6");
    }
    // Encapsulated: UDP to the Geneve or VXLAN port over an IPv4 (X = its header length) or IPv6
    // (X = 40) underlay.
    b.label("encap").op(LDB_ABS, 23).jeq(17, "e1", "drop");
    b.label("encap6").op(LDB_ABS, 20).jeq(17, "e6", "drop");
    b.label("e6").op(LDX_IMM, 40).jeq(0, "udp", "udp");
    b.label("e1").op(LDX_MSH, 14);
    b.label("udp").op(LDH_IND, 16).jeq(GENEVE_PORT, "geneve", "e2");
    b.label("e2").jeq(VXLAN_PORT, "inner", "drop");
    // Geneve: 8-byte header plus 4 * opt_len (low 6 bits of its first byte, at 14 + X + 8).
    b.label("geneve").op(LDB_IND, 22).op(AND, 0x3f).op(LSH, 2).op(ADD_X, 0).op(TAX, 0);
    // Inner Ethernet at X + 30.
    if (!m.v6()) {
      // IPv4 without options (the sender's own packet), proto, first fragment, an end, the mark.
      b.label("inner").op(LDH_IND, 42).jeq(0x0800, "i1", "drop");
      b.label("i1").op(LDB_IND, 44).jeq(0x45, "i2", "drop");
      b.label("i2").op(LDB_IND, 53).jeq(proto, "i3", "drop");
      b.label("i3").op(LDH_IND, 50).jump(JSET, 0x1fff, "drop", "i4");
      b.label("i4").op(LDW_IND, 56);
      b.ends(m, "i6", "i5");
      b.label("i5").op(LDW_IND, 60);
      b.ends(m, "i6", "drop");
      b.label("i6").mark(m, 64, "accept", "drop");
    } else {
      // IPv6 at X + 44: an end (source at X + 52, destination at X + 68), the next header or a
      // first fragment's (Fragment header at X + 84: X moves 8 on), the mark.
      b.label("inner").op(LDH_IND, 42).jeq(0x86DD, "j1", "drop");
      b.label("j1").ends6(m, true, 52, "j2", "j1d");
      b.label("j1d").ends6(m, true, 68, "j2", "drop");
      b.label("j2").op(LDB_IND, 50).jeq(proto, "j3", "jf0");
      b.label("jf0").jeq(44, "jf1", "drop");
      b.label("jf1").op(LDB_IND, 84).jeq(proto, "jf2", "drop");
      b.label("jf2").op(LDH_IND, 86).jump(JSET, 0xfff8, "drop", "jf3");
      b.label("jf3").op(TXA, 0).op(ADD_K, 8).op(TAX, 0).jeq(0, "j3", "j3");
      b.label("j3").mark(m, 84, "accept", "drop");
    }
    b.label("accept").op(RET, SNAPLEN);
    b.label("drop").op(RET, 0);
    return b.resolve();
  }

  /**
   * The 16-byte address at {@code at} ({@code X + at} when {@code indexed}) is one of the
   * exchange's ends: to {@code yes}, else to {@code no}.
   */
  private BpfFilter ends6(LiveMatch m, boolean indexed, int at, String yes, String no) {
    String other = "n" + seq++;
    words(m.srcWords(), indexed, at, yes, other);
    label(other);
    return words(m.dstWords(), indexed, at, yes, no);
  }

  private BpfFilter words(int[] w, boolean indexed, int at, String yes, String no) {
    for (int i = 0; i < w.length; i++) {
      String next = i == w.length - 1 ? yes : "n" + seq++;
      op(indexed ? LDW_IND : LDW_ABS, at + 4 * i).jeq(w[i], next, no);
      if (i < w.length - 1) {
        label(next);
      }
    }
    return this;
  }

  private int seq;

  /** A (an address) is one of the exchange's ends: to {@code yes}, else to {@code no}. */
  private BpfFilter ends(LiveMatch m, String yes, String no) {
    String second = "n" + seq++;
    jeq(m.srcWord(), yes, second);
    label(second).jeq(m.dstWord(), yes, no);
    return this;
  }

  /**
   * The mark at the transport header (X + {@code l4}): the TCP/UDP/SCTP source or destination port
   * (the first two 16-bit words of all three headers), or the ICMP echo identifier of an echo
   * request or reply.
   */
  private BpfFilter mark(LiveMatch m, int l4, String yes, String no) {
    if (m.protocol() == LiveMatch.Transport.ICMP) {
      // an echo request or reply (not an error or neighbour message quoting the same id)
      String id = "n" + seq++;
      String type = "n" + seq++;
      op(LDB_IND, l4).jeq(m.echoRequest(), id, type);
      label(type).jeq(m.echoReply(), id, no);
      return label(id).op(LDH_IND, l4 + 4).jeq(m.mark(), yes, no);
    }
    String dport = "n" + seq++;
    op(LDH_IND, l4).jeq(m.mark(), yes, dport);
    label(dport).op(LDH_IND, l4 + 2).jeq(m.mark(), yes, no);
    return this;
  }

  /** struct sock_filter[] in native byte order, as SO_ATTACH_FILTER takes it. */
  public static byte[] encode(List<Insn> program) {
    ByteBuffer b = ByteBuffer.allocate(program.size() * 8).order(ByteOrder.nativeOrder());
    for (Insn i : program) {
      b.putShort((short) i.code()).put((byte) i.jt()).put((byte) i.jf()).putInt(i.k());
    }
    return b.array();
  }

  private BpfFilter label(String name) {
    labels.put(name, code.size());
    return this;
  }

  private BpfFilter op(int opcode, int k) {
    code.add(new Object[] {opcode, null, null, k});
    return this;
  }

  private BpfFilter jeq(int k, String yes, String no) {
    return jump(JEQ, k, yes, no);
  }

  private BpfFilter jump(int opcode, int k, String yes, String no) {
    code.add(new Object[] {opcode, yes, no, k});
    return this;
  }

  private List<Insn> resolve() {
    List<Insn> out = new ArrayList<>();
    for (int pc = 0; pc < code.size(); pc++) {
      Object[] c = code.get(pc);
      out.add(new Insn((int) c[0], offset(pc, c[1]), offset(pc, c[2]), (int) c[3]));
    }
    return out;
  }

  /** Classic BPF jumps forward only, relative to the next instruction. */
  private int offset(int pc, Object label) {
    if (label == null) {
      return 0;
    }
    Integer at = labels.get((String) label);
    if (at == null) {
      throw new IllegalStateException("jump to an undefined label " + label);
    }
    int rel = at - pc - 1;
    if (rel < 0 || rel > 255) {
      throw new IllegalStateException("jump to " + label + " out of range: " + rel);
    }
    return rel;
  }
}
