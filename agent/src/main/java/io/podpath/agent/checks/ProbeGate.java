package io.podpath.agent.checks;

import java.net.InetAddress;

/** Decides, before anything is sent, whether a probe may go to a destination. */
@FunctionalInterface
public interface ProbeGate {
  /**
   * Returns when the destination is allowed.
   *
   * @throws io.podpath.agent.errors.PermissionDeniedException when it is outside the allowed scope
   * @throws io.podpath.agent.errors.UnavailableException when the node could not be read to decide
   */
  void admit(InetAddress destination);
}
