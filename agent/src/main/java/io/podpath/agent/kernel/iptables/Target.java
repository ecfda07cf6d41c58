package io.podpath.agent.kernel.iptables;

import io.podpath.agent.kernel.IpAddr;
import java.util.Optional;

/** What a rule does when its matches hold. */
public sealed interface Target {
  /** A rule without {@code -j}: it only counts packets. */
  record None() implements Target {}

  record Accept() implements Target {}

  record Drop() implements Target {}

  /** {@code -j REJECT [--reject-with X]} (default icmp-port-unreachable). */
  record Reject(String with) implements Target {}

  record Return() implements Target {}

  /** {@code -j CHAIN}: come back after it unless it decides. */
  record Jump(String chain) implements Target {}

  /** {@code -g CHAIN}: its RETURN goes back to the caller of the current chain. */
  record Goto(String chain) implements Target {}

  /** {@code -j DNAT --to-destination A[:P]} (port empty: unchanged). */
  record Dnat(IpAddr address, Optional<Integer> port) implements Target {}

  /** {@code -j SNAT --to-source A[:P]}. */
  record Snat(IpAddr address, Optional<Integer> port) implements Target {}

  /** {@code -j MASQUERADE}: the source becomes the output interface's address. */
  record Masquerade() implements Target {}

  /** {@code -j REDIRECT [--to-ports P]}: DNAT to the node itself. */
  record Redirect(Optional<Integer> port) implements Target {}

  /** {@code -j MARK}: new mark = (mark AND NOT {@code clear}) XOR {@code xor}. */
  record SetMark(long clear, long xor) implements Target {
    public long apply(long mark) {
      return ((mark & ~clear) ^ xor) & 0xFFFFFFFFL;
    }
  }

  /**
   * A target that lets the packet go on and changes nothing podpath follows (LOG, NFLOG, CT,
   * CONNMARK, TCPMSS, CHECKSUM, ...).
   */
  record Continue(String name) implements Target {}

  /** A target whose effect podpath does not model (NFQUEUE, TPROXY, a missing chain, ...). */
  record Unmodeled(String name, String why) implements Target {}
}
