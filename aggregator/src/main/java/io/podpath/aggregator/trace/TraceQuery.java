package io.podpath.aggregator.trace;

import io.podpath.aggregator.model.IpProtocol;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One trace request, validated. {@code srcPort} empty lets the planner pick; {@code icmpType} empty
 * means echo request. {@code ingressNode}: where a source outside the cluster enters. {@code
 * ipFamily}: 4 or 6, the family of a dual-stack source and destination; empty = the destination's
 * first (an IP literal has its own).
 */
public record TraceQuery(
    EndpointSpec source,
    EndpointSpec destination,
    IpProtocol protocol,
    OptionalInt srcPort,
    int dstPort,
    OptionalInt icmpType,
    boolean includeRaw,
    int maxHops,
    boolean forwardOnly,
    Sizing sizing,
    Optional<String> ingressNode,
    boolean includeConntrackEntries,
    OptionalInt ipFamily) {
  public static final int DEFAULT_MAX_HOPS = 8;

  public TraceQuery {
    srcPort.ifPresent(p -> check(p >= 1 && p <= 65535, "srcPort " + p + " is not 1-65535"));
    ipFamily.ifPresent(f -> check(f == 4 || f == 6, "ipFamily " + f + " is not 4 or 6"));
  }

  private static void check(boolean ok, String problem) {
    if (!ok) {
      throw new IllegalArgumentException(problem);
    }
  }

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

  /**
   * A query from {@code source} to {@code destination} over {@code protocol}, with the defaults of
   * `podpath trace`: no source port (the planner picks), destination port 0, echo request, no raw
   * output, {@link #DEFAULT_MAX_HOPS} hops, both directions, a small DF packet, no ingress node, no
   * conntrack entries, the destination's first IP family.
   */
  public static Builder builder(
      EndpointSpec source, EndpointSpec destination, IpProtocol protocol) {
    return new Builder(source, destination, protocol);
  }

  /** This query, to change some of it. */
  public Builder toBuilder() {
    return builder(source, destination, protocol)
        .srcPort(srcPort)
        .dstPort(dstPort)
        .icmpType(icmpType)
        .includeRaw(includeRaw)
        .maxHops(maxHops)
        .forwardOnly(forwardOnly)
        .sizing(sizing)
        .ingressNode(ingressNode)
        .includeConntrackEntries(includeConntrackEntries)
        .ipFamily(ipFamily);
  }

  /** Named settings instead of thirteen positional ones. */
  public static final class Builder {
    private EndpointSpec source;
    private EndpointSpec destination;
    private IpProtocol protocol;
    private OptionalInt srcPort = OptionalInt.empty();
    private int dstPort;
    private OptionalInt icmpType = OptionalInt.empty();
    private boolean includeRaw;
    private int maxHops = DEFAULT_MAX_HOPS;
    private boolean forwardOnly;
    private Sizing sizing = Sizing.DEFAULT;
    private Optional<String> ingressNode = Optional.empty();
    private boolean includeConntrackEntries;
    private OptionalInt ipFamily = OptionalInt.empty();

    private Builder(EndpointSpec source, EndpointSpec destination, IpProtocol protocol) {
      this.source = source;
      this.destination = destination;
      this.protocol = protocol;
    }

    public Builder source(EndpointSpec v) {
      source = v;
      return this;
    }

    public Builder destination(EndpointSpec v) {
      destination = v;
      return this;
    }

    public Builder protocol(IpProtocol v) {
      protocol = v;
      return this;
    }

    /** Empty: the planner picks ({@link #DEFAULT_SRC_PORT}). */
    public Builder srcPort(OptionalInt v) {
      srcPort = v;
      return this;
    }

    public Builder dstPort(int v) {
      dstPort = v;
      return this;
    }

    /** Empty: echo request. */
    public Builder icmpType(OptionalInt v) {
      icmpType = v;
      return this;
    }

    public Builder includeRaw(boolean v) {
      includeRaw = v;
      return this;
    }

    public Builder maxHops(int v) {
      maxHops = v;
      return this;
    }

    public Builder forwardOnly(boolean v) {
      forwardOnly = v;
      return this;
    }

    public Builder sizing(Sizing v) {
      sizing = v;
      return this;
    }

    public Builder ingressNode(Optional<String> v) {
      ingressNode = v;
      return this;
    }

    public Builder includeConntrackEntries(boolean v) {
      includeConntrackEntries = v;
      return this;
    }

    /** 4 or 6; empty: the destination's first family. */
    public Builder ipFamily(OptionalInt v) {
      ipFamily = v;
      return this;
    }

    public TraceQuery build() {
      return new TraceQuery(
          source,
          destination,
          protocol,
          srcPort,
          dstPort,
          icmpType,
          includeRaw,
          maxHops,
          forwardOnly,
          sizing,
          ingressNode,
          includeConntrackEntries,
          ipFamily);
    }
  }

  public boolean hasPorts() {
    return protocol.hasPorts();
  }

  public int effectiveSrcPort() {
    return hasPorts() ? srcPort.orElse(DEFAULT_SRC_PORT) : 0;
  }
}
