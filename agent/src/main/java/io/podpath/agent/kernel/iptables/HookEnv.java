package io.podpath.agent.kernel.iptables;

import io.podpath.agent.kernel.IpAddr;
import java.util.Optional;
import java.util.Set;

/**
 * The node facts one hook's rules may need: local addresses (addrtype), the output interface (after
 * routing), the address MASQUERADE would pick on it, and the input interface's address (REDIRECT).
 */
public record HookEnv(
    Set<IpAddr> localAddresses,
    Optional<String> outInterface,
    Optional<IpAddr> masqueradeSource,
    Optional<IpAddr> redirectAddress) {
  public HookEnv {
    localAddresses = Set.copyOf(localAddresses);
  }
}
