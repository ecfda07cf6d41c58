package io.podpath.aggregator.sweep;

import io.podpath.aggregator.inventory.Suggestions;
import java.util.Collection;

/** A sweep named a node the inventory does not have (NOT_FOUND). */
public final class UnknownNodeException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UnknownNodeException(String node, Collection<String> known) {
    super("node " + node + " not found in the inventory" + Suggestions.among(node, known));
  }
}
