package io.podpath.agent.checks;

import java.util.List;

/** The node's Open vSwitch (OVSDB and ovs-vswitchd) and, for OVN, its Southbound DB. */
public interface OvsAccess {
  OvsSnapshot snapshot() throws AccessException;

  /** One ovs-vswitchd unixctl command, e.g. {@code dpctl/ct-stats-show}; returns its text. */
  String unixctl(String command, List<String> args) throws AccessException;

  /** The Southbound load balancers and which of them this node's pods meet. */
  OvnLoadBalancers ovnLoadBalancers() throws AccessException;
}
