package io.podpath.agent.checks;

/** Outcome of one check; ordered from best to worst so that the worst of several is the max. */
public enum CheckStatus {
  OK,
  NOT_APPLICABLE,
  UNKNOWN,
  WARN,
  FAIL;

  /** The worse of two statuses: FAIL over WARN over UNKNOWN over NOT_APPLICABLE over OK. */
  public static CheckStatus worst(CheckStatus a, CheckStatus b) {
    return a.rank() >= b.rank() ? a : b;
  }

  private int rank() {
    return switch (this) {
      case OK -> 0;
      case NOT_APPLICABLE -> 1;
      case UNKNOWN -> 2;
      case WARN -> 3;
      case FAIL -> 4;
    };
  }
}
