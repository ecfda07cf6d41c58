package io.podpath.agent.trace;

/** A conntrack state flag as {@code ofproto/trace --ct-next} spells it. */
public enum CtState {
  TRK("trk"),
  NEW("new"),
  EST("est"),
  REL("rel"),
  RPL("rpl"),
  INV("inv"),
  DNAT("dnat"),
  SNAT("snat");

  private final String flag;

  CtState(String flag) {
    this.flag = flag;
  }

  public String flag() {
    return flag;
  }
}
