package io.podpath.agent.checks;

import io.podpath.agent.exec.CallScope;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One real DNS query over UDP (RFC 1035, an A question, AAAA to an IPv6 server); meant to run
 * inside a pod's netns.
 */
final class DnsQuery {
  /** One query's fate: what came back with our id (empty when nothing did in time). */
  record Attempt(Optional<DnsResponse> response, long rttMicros) {
    boolean answered() {
      return response.orElse(null) instanceof DnsResponse.Valid;
    }
  }

  private DnsQuery() {}

  static byte[] build(int id, String name) {
    return build(id, name, DnsResponse.TYPE_A);
  }

  /**
   * The question an IPv6 DNS server is asked: AAAA, since its cluster's Services (the kubernetes
   * one asked about included) have ClusterIPs of its family; A otherwise.
   */
  static int questionType(InetAddress server) {
    return server instanceof Inet6Address ? DnsResponse.TYPE_AAAA : DnsResponse.TYPE_A;
  }

  /** "A" or "AAAA". */
  static String typeName(int qtype) {
    return qtype == DnsResponse.TYPE_AAAA ? "AAAA" : "A";
  }

  static byte[] build(int id, String name, int qtype) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.write(id >> 8);
    b.write(id);
    b.write(0x01); // RD
    b.write(0x00);
    b.writeBytes(new byte[] {0, 1, 0, 0, 0, 0, 0, 0}); // QDCOUNT=1
    for (String label : name.split("\\.")) {
      byte[] l = label.getBytes(StandardCharsets.US_ASCII);
      b.write(l.length);
      b.writeBytes(l);
    }
    b.write(0);
    b.write(qtype >> 8);
    b.write(qtype);
    b.writeBytes(new byte[] {0, 1}); // QCLASS IN
    return b.toByteArray();
  }

  static Attempt ask(InetAddress server, String name, int timeoutMillis) throws IOException {
    int id = ThreadLocalRandom.current().nextInt(1, 0xffff);
    int qtype = questionType(server);
    byte[] q = build(id, name, qtype);
    long start = System.nanoTime();
    try (DatagramSocket s = new DatagramSocket()) {
      // a cancelled call closes the socket: receive() does not wake on an interrupt
      Runnable unlisten = CallScope.current().closeOnCancel(s);
      try {
        return exchange(s, server, q, id, name, qtype, start, timeoutMillis);
      } finally {
        unlisten.run();
      }
    }
  }

  private static Attempt exchange(
      DatagramSocket s,
      InetAddress server,
      byte[] q,
      int id,
      String name,
      int qtype,
      long start,
      int timeoutMillis)
      throws IOException {
    s.setSoTimeout(timeoutMillis);
    s.send(new DatagramPacket(q, q.length, new InetSocketAddress(server, 53)));
    byte[] buf = new byte[4096];
    long deadline = start + timeoutMillis * 1_000_000L;
    while (System.nanoTime() < deadline) {
      DatagramPacket p = new DatagramPacket(buf, buf.length);
      try {
        s.receive(p);
      } catch (SocketTimeoutException e) {
        break;
      }
      // another id is a late answer to an earlier query of ours: keep waiting for this one's
      if (p.getLength() >= 2 && ((buf[0] & 0xff) << 8 | (buf[1] & 0xff)) == id) {
        return new Attempt(
            Optional.of(DnsResponse.parse(buf, p.getLength(), id, name, qtype)),
            (System.nanoTime() - start) / 1000);
      }
    }
    return new Attempt(Optional.empty(), (System.nanoTime() - start) / 1000);
  }
}
