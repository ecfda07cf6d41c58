package io.podpath.agent.checks;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

/** One real DNS query over UDP (RFC 1035 A question); meant to run inside a pod's netns. */
final class DnsQuery {
  /** {@code answered}: a datagram with our id came back; {@code rcode} -1 when it was no reply. */
  record Answer(boolean answered, boolean isResponse, int rcode, int answers, long rttMicros) {}

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

  static Answer ask(InetAddress server, String name, int timeoutMillis) throws IOException {
    int id = ThreadLocalRandom.current().nextInt(1, 0xffff);
    byte[] q = build(id, name);
    long start = System.nanoTime();
    try (DatagramSocket s = new DatagramSocket()) {
      s.setSoTimeout(timeoutMillis);
      s.send(new DatagramPacket(q, q.length, new InetSocketAddress(server, 53)));
      byte[] buf = new byte[1500];
      long deadline = start + timeoutMillis * 1_000_000L;
      while (System.nanoTime() < deadline) {
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        try {
          s.receive(p);
        } catch (SocketTimeoutException e) {
          break;
        }
        if (p.getLength() >= 12 && ((buf[0] & 0xff) << 8 | (buf[1] & 0xff)) == id) {
          boolean qr = (buf[2] & 0x80) != 0;
          return new Answer(
              true,
              qr,
              qr ? buf[3] & 0x0f : -1,
              (buf[6] & 0xff) << 8 | (buf[7] & 0xff),
              (System.nanoTime() - start) / 1000);
        }
      }
    }
    return new Answer(false, false, -1, 0, (System.nanoTime() - start) / 1000);
  }
}
