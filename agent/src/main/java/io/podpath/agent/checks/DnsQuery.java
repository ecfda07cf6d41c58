package io.podpath.agent.checks;

import io.podpath.agent.exec.CallScope;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/** One real DNS query over UDP (RFC 1035 A question); meant to run inside a pod's netns. */
final class DnsQuery {
  /** One query's fate: what came back with our id (empty when nothing did in time). */
  record Attempt(Optional<DnsResponse> response, long rttMicros) {
    boolean answered() {
      return response.orElse(null) instanceof DnsResponse.Valid;
    }
  }

  private DnsQuery() {}

  static byte[] build(int id, String name) {
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
    b.writeBytes(new byte[] {0, 1, 0, 1}); // QTYPE A, QCLASS IN
    return b.toByteArray();
  }

  static Attempt ask(InetAddress server, String name, int timeoutMillis) throws IOException {
    int id = ThreadLocalRandom.current().nextInt(1, 0xffff);
    byte[] q = build(id, name);
    long start = System.nanoTime();
    try (DatagramSocket s = new DatagramSocket()) {
      // a cancelled call closes the socket: receive() does not wake on an interrupt
      Runnable unlisten = CallScope.current().closeOnCancel(s);
      try {
        return exchange(s, server, q, id, name, start, timeoutMillis);
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
            Optional.of(DnsResponse.parse(buf, p.getLength(), id, name)),
            (System.nanoTime() - start) / 1000);
      }
    }
    return new Attempt(Optional.empty(), (System.nanoTime() - start) / 1000);
  }
}
