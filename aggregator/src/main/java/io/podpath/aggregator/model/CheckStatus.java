package io.podpath.aggregator.model;

import java.util.Locale;

/** How one check came out on a node (or on the cluster). */
public enum CheckStatus {
  OK,
  WARN,
  FAIL,
  UNKNOWN,
  NOT_APPLICABLE,
  /** The node's agent did not answer: the aggregator's own verdict for the "agent" check. */
  UNREACHABLE;

  /** "ok", "warn", "fail", "unknown", "not_applicable", "unreachable": the metrics' label. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** OK or NOT_APPLICABLE: nothing to fix. */
  public boolean passed() {
    return this == OK || this == NOT_APPLICABLE;
  }
}
