package io.podpath.agent.kernel;

/** The conntrack state of the packet when it reaches the kernel hop (iptables' --ctstate). */
public enum CtState {
  /** The first packet of a connection: the nat table is consulted. */
  NEW,
  /** A packet of a known connection: NAT comes from the conntrack entry, not from the rules. */
  ESTABLISHED,
  RELATED,
  INVALID,
  UNTRACKED
}
