package io.podpath.agent.checks;

import io.podpath.agent.exec.CallScope;
import io.podpath.agent.ip.IpLiteral;
import io.podpath.agent.netns.RawIpSocket;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * An SCTP probe without the kernel's SCTP module: ONE INIT chunk through a raw socket of protocol
 * 132 and the destination's family (IPv4 or IPv6) opened in the sender's netns (the calling
 * thread's), then the INIT-ACK (a listener: answered) or ABORT (no listener: refused) read back
 * through the same socket, which is closed afterwards. No association is set up: the INIT-ACK's
 * cookie is never echoed, as after a TCP SYN that is answered and closed.
 */
final class SctpProbe {
  private static final SecureRandom RANDOM = new SecureRandom();

  private SctpProbe() {}

  static ProbeRunner.Result run(ProbeRunner.Probe p) throws IOException {
    String to = IpLiteral.hostPort(p.destination(), p.port());
    InetAddress dst = p.destination();
    int sport = p.srcPort() != 0 ? p.srcPort() : 32_768 + RANDOM.nextInt(28_000);
    int tag = RANDOM.nextInt(Integer.MAX_VALUE - 1) + 1;
    byte[] init = SctpPacket.init(sport, p.port(), tag, RANDOM.nextInt());
    boolean sent = false;
    try (RawIpSocket s = RawIpSocket.open(SctpPacket.PROTOCOL, dst)) {
      long sentAt = unixMicros();
      long start = System.nanoTime();
      s.send(init, dst);
      sent = true;
      long deadline = start + Duration.ofMillis(p.timeoutMillis()).toNanos();
      long left;
      while ((left = deadline - System.nanoTime()) > 0) {
        // Short waits: a cancelled call ends within 50 ms (the socket is this thread's alone).
        CallScope.current().checkAlive();
        Optional<RawIpSocket.Datagram> in =
            s.receive(Duration.ofNanos(Math.min(left, 50_000_000L)), 2048);
        Optional<SctpPacket.Reply> r = in.flatMap(d -> answer(d, sport, p.port(), tag));
        if (r.isEmpty()) {
          continue;
        }
        long rtt = (System.nanoTime() - start) / 1000;
        String how = "SCTP INIT to " + to + " from " + p.from() + " (port " + sport + "): ";
        return r.get().answer() == SctpPacket.Answer.INIT_ACK
            ? new ProbeRunner.Result(true, how + "INIT-ACK from " + r.get().from(), rtt, sentAt)
            : new ProbeRunner.Result(
                false, how + "refused, ABORT from " + r.get().from(), 0, sentAt);
      }
      return new ProbeRunner.Result(
          false,
          "SCTP INIT to " + to + ": no answer within " + p.timeoutMillis() + " ms",
          0,
          sentAt);
    } catch (IOException e) {
      CallScope.current().checkAlive();
      if (sent) {
        throw e; // the INIT left; reading the answer failed: the agent's fault, not the path's
      }
      return new ProbeRunner.Result(
          false, "SCTP to " + to + " from " + p.from() + ": not sent: " + e.getMessage(), 0);
    }
  }

  /** IPv4 reads the IP header too, IPv6 the SCTP packet alone (its source from recvfrom). */
  private static Optional<SctpPacket.Reply> answer(
      RawIpSocket.Datagram d, int sport, int dport, int tag) {
    return d.from() instanceof Inet6Address
        ? SctpPacket.answerIn(d.data(), IpLiteral.format(d.from()), sport, dport, tag)
        : SctpPacket.answerTo(d.data(), sport, dport, tag);
  }

  private static long unixMicros() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
  }
}
