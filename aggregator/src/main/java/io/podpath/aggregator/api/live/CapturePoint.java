package io.podpath.aggregator.api.live;

import io.podpath.proto.v1.Protocol;
import io.podpath.proto.v1.Sighting;
import java.util.List;
import java.util.Optional;

/**
 * A place where the real exchange should (or should not) show up: a plain copy on a named interface
 * of a node, or an encapsulated copy with given outer addresses; the request, or the reply. A reply
 * point counts only the answer that makes the exchange work (a TCP SYN-ACK, a UDP datagram, an SCTP
 * INIT-ACK, an ICMP echo reply), not a TCP reset or an SCTP ABORT. {@code judged}: the model traced
 * this direction, so a difference is a disagreement (the reply of a forward-only trace, or from
 * outside the cluster, is not judged).
 */
record CapturePoint(
    String node,
    String what,
    String iface,
    Optional<String> outerSrc,
    Optional<String> outerDst,
    boolean predicted,
    boolean judged,
    boolean reply) {

  static CapturePoint plain(String node, String what, String iface, boolean predicted) {
    return new CapturePoint(
        node, what, iface, Optional.empty(), Optional.empty(), predicted, true, false);
  }

  static CapturePoint encap(String node, String what, String outerSrc, String outerDst) {
    return new CapturePoint(
        node, what, "", Optional.of(outerSrc), Optional.of(outerDst), true, true, false);
  }

  static CapturePoint answer(
      String node, String what, String iface, boolean predicted, boolean judged) {
    return new CapturePoint(
        node, what, iface, Optional.empty(), Optional.empty(), predicted, judged, true);
  }

  boolean matches(Sighting s) {
    return s.getReply() == reply && at(s) && (!reply || refusal(s).isEmpty());
  }

  /**
   * The refusal seen here instead of this reply point's answer, in words: a TCP reset or an SCTP
   * ABORT reached the point, so the destination answered but nothing accepted the exchange.
   */
  Optional<String> refusalSeen(List<Sighting> onNode) {
    return reply
        ? onNode.stream()
            .filter(s -> s.getReply() && at(s))
            .flatMap(s -> refusal(s).stream())
            .findFirst()
        : Optional.empty();
  }

  private static Optional<String> refusal(Sighting s) {
    if (s.getPacket().getProtocol() == Protocol.PROTOCOL_TCP && (s.getTcpFlags() & 0x12) != 0x12) {
      return Optional.of("a TCP reset");
    }
    if (s.getPacket().getProtocol() == Protocol.PROTOCOL_SCTP && s.getSctpChunk() != 2) {
      return Optional.of(
          s.getSctpChunk() == 6 ? "an SCTP ABORT" : "an SCTP chunk other than INIT-ACK");
    }
    return Optional.empty();
  }

  private boolean at(Sighting s) {
    if (outerSrc.isPresent()) {
      return s.hasEncap()
          && s.getEncap().getOuterSrc().equals(outerSrc.get())
          && s.getEncap().getOuterDst().equals(outerDst.get());
    }
    return !s.hasEncap() && !iface.isEmpty() && s.getInterface().equals(iface);
  }

  /** The first sighting on this point's node that matches it. */
  Optional<Sighting> first(List<Sighting> onNode) {
    return onNode.stream().filter(this::matches).findFirst();
  }
}
