package io.podpath.agent.checks;

import java.util.List;
import java.util.Set;

/** The node's Open vSwitch (OVSDB and ovs-vswitchd) and, for OVN, its Southbound DB. */
public interface OvsAccess {
  OvsSnapshot snapshot() throws AccessException;

  /** One ovs-vswitchd unixctl command, e.g. {@code dpctl/ct-stats-show}; returns its text. */
  String unixctl(String command, List<String> args) throws AccessException;

  /** The VIPs ({@code ip:port} or {@code ip}) of every Southbound Load_Balancer row. */
  Set<String> southboundLoadBalancerVips() throws AccessException;
}
