package io.podpath.agent.kernel.iptables;

/** A match's answer for one packet: it holds, it does not, or podpath cannot tell (and why). */
public record Truth(Kind kind, String why) {
  public enum Kind {
    YES,
    NO,
    UNKNOWN
  }

  public static final Truth YES = new Truth(Kind.YES, "");
  public static final Truth NO = new Truth(Kind.NO, "");

  public static Truth of(boolean b) {
    return b ? YES : NO;
  }

  public static Truth unknown(String why) {
    return new Truth(Kind.UNKNOWN, why);
  }

  /** Applies iptables' {@code !}: unknown stays unknown. */
  public Truth negate(boolean negated) {
    if (!negated || kind == Kind.UNKNOWN) {
      return this;
    }
    return kind == Kind.YES ? NO : YES;
  }
}
