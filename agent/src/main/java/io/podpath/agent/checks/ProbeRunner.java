package io.podpath.agent.checks;

import io.podpath.agent.checks.parse.ParseException;
import io.podpath.agent.checks.parse.PingOutput;
import io.podpath.agent.exec.CallScope;
import io.podpath.agent.ip.IpLiteral;
import io.podpath.agent.pod.PodKey;
import java.io.IOException;
import java.net.ConnectException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The Probe RPC's backend: one real packet from a pod's netns. ICMP runs iputils ping through the
 * command runner (so -M do / -s are the kernel's); TCP and UDP use sockets opened in the netns,
 * SCTP one INIT through a raw socket there ({@link SctpProbe}: no kernel SCTP module needed).
 */
public final class ProbeRunner {
  /** A validated probe: every field typed, the destination an IP literal. */
  public record Probe(
      @Nullable PodKey source,
      InetAddress destination,
      String protocol,
      int port,
      int size,
      boolean df,
      int timeoutMillis,
      int srcPort,
      boolean fromNode) {
    /** A probe from a pod, the source port given. */
    public Probe(
        PodKey source,
        InetAddress destination,
        String protocol,
        int port,
        int size,
        boolean df,
        int timeoutMillis,
        int srcPort) {
      this(source, destination, protocol, port, size, df, timeoutMillis, srcPort, false);
    }

    /** A probe from the kernel's choice of source port. */
    public Probe(
        PodKey source,
        InetAddress destination,
        String protocol,
        int port,
        int size,
        boolean df,
        int timeoutMillis) {
      this(source, destination, protocol, port, size, df, timeoutMillis, 0, false);
    }

    /** {@code source} may be null only when the node's own stack sends ({@code fromNode}). */
    public Probe {
      if (source == null && !fromNode) {
        throw new IllegalArgumentException("source: a pod, unless the node sends");
      }
      if (srcPort < 0 || srcPort > 65535) {
        throw new IllegalArgumentException("src_port (ICMP: the echo identifier): 1-65535");
      }
      if (!List.of("icmp", "tcp", "udp", "sctp").contains(protocol)) {
        throw new IllegalArgumentException("protocol: icmp, tcp, udp or sctp");
      }
      if (!protocol.equals("icmp") && (port < 1 || port > 65535)) {
        throw new IllegalArgumentException("dst_port: 1-65535");
      }
      if (size < 0 || size > 65507) {
        throw new IllegalArgumentException("size: 0-65507");
      }
      if (timeoutMillis < 1 || timeoutMillis > 10_000) {
        throw new IllegalArgumentException("timeout_millis: 1-10000");
      }
    }

    /** Who sends, for messages. */
    public String from() {
      return fromNode ? "the node" : String.valueOf(source);
    }

    /** The sending pod of a probe that is not the node's own (checked when it was built). */
    PodKey pod() {
      return Objects.requireNonNull(source, "a probe from a pod names its pod");
    }
  }

  /**
   * {@code sentAtUnixMicros}: just before the packet left (for ping, which sends by itself: just
   * before it started).
   */
  public record Result(boolean delivered, String detail, long rttMicros, long sentAtUnixMicros) {
    public Result(boolean delivered, String detail, long rttMicros) {
      this(delivered, detail, rttMicros, 0);
    }
  }

  private final PodAccess pods;
  private final HostAccess host;

  public ProbeRunner(PodAccess pods, HostAccess host) {
    this.pods = pods;
    this.host = host;
  }

  public Result probe(Probe p) throws AccessException {
    if (p.fromNode()) {
      // The agent lives in the node's network namespace: its sockets and tools are the node's.
      try {
        return switch (p.protocol()) {
          case "icmp" -> ping(p);
          case "tcp" -> tcp(p);
          case "sctp" -> SctpProbe.run(p);
          default -> udp(p);
        };
      } catch (IOException e) {
        throw new AccessException(
            AccessException.Kind.FAILED, Objects.requireNonNullElse(e.getMessage(), e.toString()));
      }
    }
    return switch (p.protocol()) {
      case "icmp" -> ping(p);
      case "tcp" -> pods.call(p.pod(), () -> tcp(p));
      case "sctp" -> pods.call(p.pod(), () -> SctpProbe.run(p));
      default -> pods.call(p.pod(), () -> udp(p));
    };
  }

  static List<String> pingArgv(Probe p) {
    List<String> argv = new ArrayList<>(List.of("ping", "-n", "-c", "1"));
    // -W takes whole seconds; round up so a sub-second timeout still waits.
    argv.addAll(List.of("-W", String.valueOf(Math.max(1, (p.timeoutMillis() + 999) / 1000))));
    if (p.df()) {
      argv.addAll(List.of("-M", "do"));
    }
    if (p.srcPort() != 0) {
      // The live trace's mark: the echo identifier (iputils ping -e).
      argv.addAll(List.of("-e", String.valueOf(p.srcPort())));
    }
    if (p.size() > 0) {
      argv.addAll(List.of("-s", String.valueOf(p.size())));
    }
    if (p.destination() instanceof Inet6Address) {
      argv.add("-6");
    }
    argv.add(IpLiteral.format(p.destination()));
    return argv;
  }

  private Result ping(Probe p) throws AccessException {
    List<String> argv = pingArgv(p);
    // ping sends by itself: the time just before it starts bounds its send from below.
    long startedAt = unixMicros();
    CommandOutput out = p.fromNode() ? host.run(argv) : pods.run(p.pod(), argv);
    String text = out.stdout() + out.stderr();
    try {
      PingOutput po = PingOutput.parse(text);
      String how = String.join(" ", argv) + " from " + p.from() + ": ";
      if (po.received() > 0) {
        return new Result(true, how + "answered", po.rttMicros().orElse(0), startedAt);
      }
      if (po.localMtu().isPresent()) {
        return new Result(
            false,
            how + "refused locally, message too long (mtu=" + po.localMtu().getAsInt() + ")",
            0,
            startedAt);
      }
      return new Result(false, how + "no answer within " + p.timeoutMillis() + " ms", 0, startedAt);
    } catch (ParseException e) {
      Optional<String> refused = PingRefusal.of(text);
      if (refused.isPresent()) {
        return new Result(
            false,
            String.join(" ", argv) + " from " + p.from() + ": not sent, " + refused.get(),
            0);
      }
      throw new AccessException(
          AccessException.Kind.FAILED,
          String.join(" ", argv) + " exited " + out.exitCode() + ": " + text.strip());
    }
  }

  private static Result tcp(Probe p) throws IOException {
    try (Socket s = new Socket()) {
      CallScope.current().closeOnCancel(s); // connect() does not wake on an interrupt
      if (p.srcPort() != 0) {
        // The live trace's mark: this exact source port (SO_REUSEADDR for a TIME_WAIT leftover).
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(p.srcPort()));
      }
      long sentAt = unixMicros();
      long start = System.nanoTime();
      return tcpConnect(s, p, start, sentAt);
    }
  }

  private static long unixMicros() {
    java.time.Instant now = java.time.Instant.now();
    return now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
  }

  private static Result tcpConnect(Socket s, Probe p, long start, long sentAt) throws IOException {
    try {
      s.connect(new InetSocketAddress(p.destination(), p.port()), p.timeoutMillis());
      return new Result(
          true,
          "TCP connect to "
              + IpLiteral.hostPort(p.destination(), p.port())
              + " from "
              + p.from()
              + " established",
          (System.nanoTime() - start) / 1000,
          sentAt);
    } catch (SocketTimeoutException e) {
      return new Result(
          false, "TCP connect timed out after " + p.timeoutMillis() + " ms", 0, sentAt);
    } catch (ConnectException e) {
      return new Result(false, "TCP connect refused or unreachable: " + e.getMessage(), 0, sentAt);
    } catch (SocketException e) {
      return notSent(p, e, sentAt);
    }
  }

  private static Result udp(Probe p) throws IOException {
    byte[] msg = "podpath-probe".getBytes(StandardCharsets.US_ASCII);
    try (DatagramSocket s = new DatagramSocket(p.srcPort())) {
      CallScope.current().closeOnCancel(s); // receive() does not wake on an interrupt
      // Java turns SO_BROADCAST on; a probe is one unicast packet, so the kernel refuses a
      // broadcast address (EACCES) as ping does without -b
      s.setBroadcast(false);
      s.setSoTimeout(p.timeoutMillis());
      long sentAt = unixMicros();
      long start = System.nanoTime();
      return udpExchange(s, p, msg, start, sentAt);
    }
  }

  private static Result udpExchange(DatagramSocket s, Probe p, byte[] msg, long start, long sentAt)
      throws IOException {
    try {
      s.send(new DatagramPacket(msg, msg.length, new InetSocketAddress(p.destination(), p.port())));
      byte[] buf = new byte[2048];
      DatagramPacket in = new DatagramPacket(buf, buf.length);
      s.receive(in);
      return new Result(
          true,
          "UDP reply of "
              + in.getLength()
              + " bytes from "
              + IpLiteral.hostPort(in.getAddress(), in.getPort()),
          (System.nanoTime() - start) / 1000,
          sentAt);
    } catch (SocketTimeoutException e) {
      return new Result(false, "no UDP reply within " + p.timeoutMillis() + " ms", 0, sentAt);
    } catch (PortUnreachableException e) {
      return new Result(false, "UDP port unreachable", 0, sentAt);
    } catch (SocketException e) {
      return notSent(p, e, sentAt);
    }
  }

  /**
   * The pod's kernel would not send the packet (no route, a broadcast address, no source address):
   * that is the probe's answer, delivered = false, not a failure of the agent. A socket closed
   * because the call ended is not an answer: that ends the call.
   */
  private static Result notSent(Probe p, SocketException e, long sentAt) {
    CallScope.current().checkAlive();
    return new Result(
        false,
        p.protocol().toUpperCase(java.util.Locale.ROOT)
            + " to "
            + IpLiteral.format(p.destination())
            + " from "
            + p.from()
            + ": not sent, the pod's kernel refused it: "
            + e.getMessage(),
        0,
        sentAt);
  }
}
