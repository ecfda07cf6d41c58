package io.podpath.agent.checks;

import io.podpath.agent.cni.CniProfile;
import java.util.List;
import java.util.Optional;

/** The node's Open vSwitch (OVSDB and ovs-vswitchd) and, for OVN, its Southbound DB. */
public interface OvsAccess {
  OvsSnapshot snapshot() throws AccessException;

  /** One ovs-vswitchd unixctl command, e.g. {@code dpctl/ct-stats-show}; returns its text. */
  String unixctl(String command, List<String> args) throws AccessException;

  /**
   * The node's CNI profile (detected, or the agent's --cni); empty when none matches or it cannot
   * be read, and the checks then keep OVN-Kubernetes' names.
   */
  default Optional<CniProfile> cni() {
    return Optional.empty();
  }

  /** The Southbound load balancers and which of them this node's pods meet. */
  OvnLoadBalancers ovnLoadBalancers() throws AccessException;
}
