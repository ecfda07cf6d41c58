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

  /**
   * A query from {@code source} to {@code destination} over {@code protocol}, with the defaults of
   * `podpath trace`: ports 0 (the planner picks the source port), echo request, no raw output,
   * {@link #DEFAULT_MAX_HOPS} hops, both directions, a small DF packet, no ingress node, no
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
    private int srcPort;
    private int dstPort;
    private OptionalInt icmpType = OptionalInt.empty();
    private boolean includeRaw;
    private int maxHops = DEFAULT_MAX_HOPS;
    private boolean forwardOnly;
    private Sizing sizing = Sizing.DEFAULT;
    private Optional<String> ingressNode = Optional.empty();
    private boolean includeConntrackEntries;
    private int ipFamily;

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

    /** 0: the planner picks ({@link #DEFAULT_SRC_PORT}). */
    public Builder srcPort(int v) {
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

    /** 4 or 6; 0: the destination's first family. */
    public Builder ipFamily(int v) {
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
    return hasPorts() ? (srcPort == 0 ? DEFAULT_SRC_PORT : srcPort) : 0;
  }
}
