package io.podpath.aggregator.sweep;

/** The sweep's caller gave up (cancelled, or its deadline passed): the sweep stopped there. */
public final class SweepCancelledException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final boolean deadline;

  SweepCancelledException(String why, boolean deadline) {
    super("sweep stopped: " + why);
    this.deadline = deadline;
  }

  /** Whether the caller's deadline, not an explicit cancel, ended it. */
  public boolean deadline() {
    return deadline;
  }
}
