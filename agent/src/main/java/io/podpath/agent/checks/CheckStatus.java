package io.podpath.agent.checks;

/** Outcome of one check; ordered from best to worst so that the worst of several is the max. */
public enum CheckStatus {
  OK,
  NOT_APPLICABLE,
  UNKNOWN,
  WARN,
  FAIL;

  public static CheckStatus worst(CheckStatus a, CheckStatus b) {
    return a.ordinal() >= b.ordinal() ? a : b;
  }
}
