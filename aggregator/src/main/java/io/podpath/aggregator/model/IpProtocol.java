package io.podpath.aggregator.model;

/** The transport a traced packet carries. */
public enum IpProtocol {
  TCP,
  UDP,
  SCTP,
  ICMP;

  /** Only ICMP has no ports. */
  public boolean hasPorts() {
    return this != ICMP;
  }
}
