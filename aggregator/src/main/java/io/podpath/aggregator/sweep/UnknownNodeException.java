package io.podpath.aggregator.sweep;

/** A sweep named a node the inventory does not have (NOT_FOUND). */
public final class UnknownNodeException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UnknownNodeException(String node) {
    super("node " + node + " not found in the inventory");
  }
}
