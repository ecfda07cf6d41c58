package io.podpath.aggregator.trace;

import io.podpath.aggregator.model.IpProtocol;
import java.util.OptionalInt;

/**
 * One trace request, validated. {@code srcPort} 0 lets the planner pick; {@code icmpType} empty
 * means echo request.
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
    boolean forwardOnly) {
  public static final int DEFAULT_MAX_HOPS = 8;

  /** The source port used when none is given: any fixed ephemeral port will do for a trace. */
  public static final int DEFAULT_SRC_PORT = 40000;

  public boolean hasPorts() {
    return protocol.hasPorts();
  }

  public int effectiveSrcPort() {
    return hasPorts() ? (srcPort == 0 ? DEFAULT_SRC_PORT : srcPort) : 0;
  }
}
