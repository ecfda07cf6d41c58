package io.podpath.aggregator.trace;

import java.util.List;

/** A whole trace: one result per destination endpoint. */
public record TraceReport(String source, String destination, List<EndpointResult> endpoints) {
  public TraceReport {
    endpoints = List.copyOf(endpoints);
  }
}
