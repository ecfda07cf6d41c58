package io.podpath.aggregator.trace;

import io.podpath.aggregator.model.IpProtocol;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One trace request, validated. {@code srcPort} 0 lets the planner pick; {@code icmpType} empty
 * means echo request. {@code ingressNode}: where a source outside the cluster enters. {@code
 * ipFamily}: 4 or 6, the family of a dual-stack source and destination; 0 = the destination's first
 * (an IP literal has its own).
 */
public record TraceQuery(
    EndpointSpec source,
    EndpointSpec destination,
    IpProtocol protocol,
    int srcPort,
    int dstPort,
    OptionalInt icmpType,
    boolean includeRaw,
    int maxHops,
    boolean forwardOnly,
    Sizing sizing,
    Optional<String> ingressNode,
    boolean includeConntrackEntries,
    int ipFamily) {
  public static final int DEFAULT_MAX_HOPS = 8;

  /** The source port used when none is given: any fixed ephemeral port will do for a trace. */
  public static final int DEFAULT_SRC_PORT = 40000;

  /** The packet's IP total length (0 = a small packet) and whether a hop may fragment it. */
  public record Sizing(int size, boolean allowFragmentation) {
    /** A small packet with DF set: what a trace sends unless told otherwise. */
    public static final Sizing DEFAULT = new Sizing(0, false);

    /** The smallest size accepted: the IPv4 minimum MTU, which holds any header combination. */
    public static final int MIN_SIZE = 68;

    public static final int MAX_SIZE = 65535;
  }

  public boolean hasPorts() {
    return protocol.hasPorts();
  }

  public int effectiveSrcPort() {
    return hasPorts() ? (srcPort == 0 ? DEFAULT_SRC_PORT : srcPort) : 0;
  }
}
