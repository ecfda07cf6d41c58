package io.podpath.aggregator.model;

/**
 * One ICMP echo from a pod, sent by its node's agent (the sweep's active MTU probe): {@code size}
 * is ping's -s, {@code dontFragment} sets DF.
 */
public record PodPing(
    String namespace,
    String name,
    String destinationIp,
    int size,
    boolean dontFragment,
    int timeoutMillis) {
  /** Whether the echo came back, and the agent's words about it (ping's output). */
  public record Result(boolean delivered, String detail) {}
}
