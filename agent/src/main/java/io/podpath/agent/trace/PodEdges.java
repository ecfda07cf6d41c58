package io.podpath.agent.trace;

import io.podpath.agent.ip.IpLiteral;
import java.net.InetAddress;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The pod ends of a node's trace: a packet from a local pod first has to leave that pod's own
 * stack, and a packet OVS delivers to a local pod's port has to get into it (and be answerable).
 * Either failing makes the node's outcome DROPPED naming the pod and its interface.
 */
final class PodEdges {
  private final PodStack stack;

  PodEdges(PodStack stack) {
    this.stack = stack;
  }

  /**
   * The pod port a trace starts from: the pod, its OVS interface name and ofport, and its IP when
   * the CNI names no pod in OVSDB (the pod is found by it).
   */
  record Source(PodName pod, String port, int ofport, Optional<InetAddress> ip) {}

  /**
   * The source pod's end: why it stops the packet (if it does), and the IP length of what leaves
   * the pod (a fragment when the pod's kernel fragments it), which the later checks then size.
   */
  record Sent(Optional<Outcome> dropped, int ipLength) {}

  Sent source(
      Optional<Source> source,
      TraceSpec spec,
      List<SizeCheck> sizes,
      List<TraceFinding> findings,
      Instant deadline) {
    if (source.isEmpty()) {
      return new Sent(Optional.empty(), spec.ipLength());
    }
    Source s = source.get();
    Optional<PodEnd> end = stack.read(s.pod(), s.ip(), s.port(), s.ofport(), deadline, findings);
    if (end.isEmpty()) {
      return new Sent(Optional.empty(), spec.ipLength());
    }
    Optional<PodEnd.Blocked> b =
        end.get()
            .judge(
                PodEnd.Side.SOURCE,
                IpLiteral.format(spec.packet().dst()),
                spec.ipLength(),
                spec.df(),
                sizes,
                findings);
    return new Sent(
        b.map(x -> dropped("", s.port(), s.ofport(), Optional.of(s.pod()), x)),
        end.get().leaves(spec.ipLength(), spec.df()));
  }

  /** A packet OVS delivers to a local pod's port must get into the pod, and the pod answer. */
  Outcome destination(
      TraceSpec spec,
      int ipLength,
      Outcome outcome,
      PacketHeaders emitted,
      List<SizeCheck> sizes,
      List<TraceFinding> findings,
      Instant deadline) {
    if (outcome.kind() != Outcome.Kind.LOCAL_POD
        || (outcome.pod().isEmpty() && outcome.podIp().isEmpty())) {
      return outcome;
    }
    // A pod OVSDB does not name is known here by its IP only (the agent proved its namespace).
    PodName pod = outcome.pod().orElseGet(() -> new PodName("", outcome.podIp()));
    Optional<InetAddress> ip =
        outcome.pod().isPresent() ? Optional.empty() : IpLiteral.tryParse(outcome.podIp());
    Optional<PodEnd.Blocked> b =
        stack
            .read(pod, ip, outcome.portName(), outcome.ofport(), deadline, findings)
            .flatMap(
                end ->
                    end.judge(
                        PodEnd.Side.DESTINATION,
                        IpLiteral.format(emitted.src()),
                        ipLength,
                        spec.df(),
                        sizes,
                        findings));
    return b.map(
            x ->
                dropped(
                    outcome.recirculation(),
                    outcome.portName(),
                    outcome.ofport(),
                    outcome.pod(),
                    x))
        .orElse(outcome);
  }

  private static Outcome dropped(
      String recirculation, String port, int ofport, Optional<PodName> pod, PodEnd.Blocked b) {
    return new Outcome(
        Outcome.Kind.DROPPED,
        b.text(),
        port,
        ofport,
        pod,
        Optional.empty(),
        Optional.of(
            new Outcome.Drop(-1, "", b.text(), Optional.empty(), Optional.empty(), b.code())),
        recirculation,
        List.of());
  }
}
