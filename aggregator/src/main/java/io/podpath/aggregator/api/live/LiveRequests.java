package io.podpath.aggregator.api.live;

import io.podpath.aggregator.api.InvalidRequestException;
import io.podpath.proto.v1.Protocol;
import io.podpath.proto.v1.TraceRequest;
import java.security.SecureRandom;
import java.time.Duration;

/** The live fields of a TraceRequest: checked, and the mark chosen before the model traces. */
public final class LiveRequests {
  /** The mark's source ports: above the kernel's default ephemeral range's start. */
  static final int MARK_PORT_MIN = 40_001;

  static final int MARK_PORT_SPAN = 20_000;

  private static final SecureRandom RANDOM = new SecureRandom();

  private LiveRequests() {}

  /**
   * {@code r} with a fresh source port when live and none was given, so that the model traces the
   * very 5-tuple the real packet carries; refuses what a live trace cannot send.
   */
  public static TraceRequest withMark(TraceRequest r) {
    if (!r.getLive()) {
      if (r.getLiveTimeoutMillis() != 0) {
        throw new InvalidRequestException("live_timeout_millis", "applies with live only");
      }
      if (r.getLiveCount() != 0) {
        throw new InvalidRequestException("live_count", "applies with live only");
      }
      return r;
    }
    if (!r.getSource().hasPod() && !r.getSource().hasNode()) {
      throw new InvalidRequestException(
          "live", "a live trace sends from a pod or a node; give one as the source");
    }
    if (r.getProtocol() != Protocol.PROTOCOL_TCP
        && r.getProtocol() != Protocol.PROTOCOL_UDP
        && r.getProtocol() != Protocol.PROTOCOL_SCTP
        && r.getProtocol() != Protocol.PROTOCOL_ICMP) {
      throw new InvalidRequestException(
          "live",
          "a live trace sends TCP, UDP, SCTP or an ICMP echo (--tcp, --udp, --sctp, --icmp)");
    }
    timeout(r);
    count(r);
    // ICMP: the mark is the echo identifier, which the model does not trace (LiveTracer picks it).
    if (r.getSrcPort() != 0 || r.getProtocol() == Protocol.PROTOCOL_ICMP) {
      return r;
    }
    return r.toBuilder().setSrcPort(freshMark()).build();
  }

  /** A mark (source port or echo identifier) for one trace. */
  static int freshMark() {
    return MARK_PORT_MIN + RANDOM.nextInt(MARK_PORT_SPAN);
  }

  /** The most exchanges one live trace sends: a burst, not a load test. */
  static final int MAX_COUNT = 10;

  /** live_count: 1-10, 0 = 1. */
  public static int count(TraceRequest r) {
    long n = Integer.toUnsignedLong(r.getLiveCount());
    if (n > MAX_COUNT) {
      throw new InvalidRequestException(
          "live_count", "1-" + MAX_COUNT + " real exchanges per live trace, got " + n);
    }
    return (int) Math.max(1, n);
  }

  /** live_timeout_millis: 100-10000, 0 = 2000. */
  public static Duration timeout(TraceRequest r) {
    long ms = r.getLiveTimeoutMillis();
    if (ms == 0) {
      return Duration.ofSeconds(2);
    }
    if (ms < 100 || ms > 10_000) {
      throw new InvalidRequestException("live_timeout_millis", "100-10000 ms, got " + ms);
    }
    return Duration.ofMillis(ms);
  }
}
