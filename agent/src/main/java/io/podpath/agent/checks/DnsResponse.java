package io.podpath.agent.checks;

import io.podpath.agent.ip.IpLiteral;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What came back for one DNS query (RFC 1035 §4.1): a well-formed response to our question, or a
 * datagram that only looks like one. Parsed strictly: the id, the QR bit, the question echoed, and
 * every answer record must be complete; compression pointers may only point backwards.
 */
sealed interface DnsResponse {
  /** A well-formed response; {@code addresses} are the A/AAAA records for the name asked. */
  record Valid(int rcode, List<String> addresses, int answerCount) implements DnsResponse {
    public Valid {
      addresses = List.copyOf(addresses);
    }

    public String rcodeName() {
      return switch (rcode) {
        case 0 -> "NOERROR";
        case 1 -> "FORMERR";
        case 2 -> "SERVFAIL";
        case 3 -> "NXDOMAIN";
        case 4 -> "NOTIMP";
        case 5 -> "REFUSED";
        default -> "RCODE " + rcode;
      };
    }
  }

  /** A datagram with our id that is not a valid response to our question. */
  record Malformed(String why) implements DnsResponse {}

  int TYPE_A = 1;
  int TYPE_AAAA = 28;
  int CLASS_IN = 1;

  /**
   * Parses {@code len} bytes of {@code buf} as the response to query {@code id} for A {@code name}.
   */
  static DnsResponse parse(byte[] buf, int len, int id, String name) {
    return parse(buf, len, id, name, TYPE_A);
  }

  /** The same for a question of {@code qtype} (A or AAAA). */
  static DnsResponse parse(byte[] buf, int len, int id, String name, int qtype) {
    try {
      Reader r = new Reader(buf, len);
      if (r.u16() != id) {
        return new Malformed("id differs from the query's");
      }
      int flags = r.u16();
      if ((flags & 0x8000) == 0) {
        return new Malformed("QR bit clear: a query came back, not a response");
      }
      if (((flags >> 11) & 0xf) != 0) {
        return new Malformed("opcode " + ((flags >> 11) & 0xf) + " is not a standard query's");
      }
      int qd = r.u16();
      int an = r.u16();
      r.u16(); // NSCOUNT
      r.u16(); // ARCOUNT
      if (qd != 1) {
        return new Malformed(qd + " questions in the response (the query had 1)");
      }
      String q = r.name();
      int asked = r.u16();
      int qclass = r.u16();
      if (!q.equalsIgnoreCase(name) || asked != qtype || qclass != CLASS_IN) {
        return new Malformed("the response's question is " + q + " type " + asked + ", not ours");
      }
      List<String> addresses = new ArrayList<>();
      // names the answer may carry: ours, then the targets of CNAMEs met on the way
      List<String> names = new ArrayList<>(List.of(name.toLowerCase(Locale.ROOT)));
      for (int i = 0; i < an; i++) {
        String owner = r.name().toLowerCase(Locale.ROOT);
        int type = r.u16();
        int cls = r.u16();
        r.u32(); // TTL
        int rdlen = r.u16();
        int rdStart = r.pos;
        r.need(rdlen);
        if (names.contains(owner) && cls == CLASS_IN) {
          if ((type == TYPE_A && rdlen == 4) || (type == TYPE_AAAA && rdlen == 16)) {
            addresses.add(
                IpLiteral.format(
                    InetAddress.getByAddress(Arrays.copyOfRange(buf, rdStart, rdStart + rdlen))));
          } else if (type == 5) {
            names.add(r.nameAt(rdStart).toLowerCase(Locale.ROOT));
          }
        }
        r.pos = rdStart + rdlen;
      }
      return new Valid(flags & 0xf, addresses, an);
    } catch (Truncated e) {
      return new Malformed(e.getMessage());
    } catch (UnknownHostException e) {
      return new Malformed("bad address record: " + e.getMessage());
    }
  }

  /** The message ended (or pointed) where a field should be. */
  final class Truncated extends Exception {
    private final String what;

    Truncated(String what) {
      super(what);
      this.what = what;
    }

    @Override
    public String getMessage() {
      return what;
    }
  }

  /** A cursor over the message. */
  final class Reader {
    private final byte[] buf;
    private final int len;
    int pos;

    Reader(byte[] buf, int len) {
      this.buf = buf;
      this.len = len;
    }

    void need(int n) throws Truncated {
      if (n < 0 || pos + n > len) {
        throw new Truncated("truncated at byte " + pos + " of " + len);
      }
    }

    int u8() throws Truncated {
      need(1);
      return buf[pos++] & 0xff;
    }

    int u16() throws Truncated {
      return u8() << 8 | u8();
    }

    long u32() throws Truncated {
      return (long) u16() << 16 | u16();
    }

    String name() throws Truncated {
      StringBuilder out = new StringBuilder();
      pos = readName(pos, out, 0);
      return out.toString();
    }

    String nameAt(int at) throws Truncated {
      StringBuilder out = new StringBuilder();
      readName(at, out, 0);
      return out.toString();
    }

    /** Reads a name at {@code at} into {@code out}; returns the offset after it. */
    private int readName(int at, StringBuilder out, int depth) throws Truncated {
      int p = at;
      while (true) {
        if (p >= len) {
          throw new Truncated("name runs past the end at byte " + p);
        }
        int l = buf[p] & 0xff;
        if (l == 0) {
          return p + 1;
        }
        if ((l & 0xc0) == 0xc0) {
          if (p + 1 >= len) {
            throw new Truncated("compression pointer cut at byte " + p);
          }
          int target = (l & 0x3f) << 8 | (buf[p + 1] & 0xff);
          if (target >= p || depth > 16) {
            throw new Truncated("compression pointer at byte " + p + " does not point back");
          }
          readName(target, out, depth + 1);
          return p + 2;
        }
        if ((l & 0xc0) != 0) {
          throw new Truncated("label type 0x" + Integer.toHexString(l) + " at byte " + p);
        }
        if (p + 1 + l > len) {
          throw new Truncated("label runs past the end at byte " + p);
        }
        if (out.length() > 0) {
          out.append('.');
        }
        for (int i = p + 1; i <= p + l; i++) {
          out.append((char) (buf[i] & 0xff));
        }
        if (out.length() > 255) {
          throw new Truncated("name longer than 255 bytes");
        }
        p += 1 + l;
      }
    }
  }
}
