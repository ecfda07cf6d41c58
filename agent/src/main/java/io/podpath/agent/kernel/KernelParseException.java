package io.podpath.agent.kernel;

import io.podpath.agent.errors.AgentException;

/** Output of a kernel tool (iptables-save, ip, ipvsadm, /proc) that podpath cannot read. */
public final class KernelParseException extends AgentException {
  public KernelParseException(String message) {
    super(message);
  }
}
