package io.podpath.agent.kernel.iptables;

import io.podpath.agent.kernel.Ipv4;
import java.util.Optional;
import java.util.Set;

/**
 * The node facts one hook's rules may need: local addresses (addrtype), the output interface (after
 * routing), the address MASQUERADE would pick on it, and the input interface's address (REDIRECT).
 */
public record HookEnv(
    Set<Ipv4> localAddresses,
    Optional<String> outInterface,
    Optional<Ipv4> masqueradeSource,
    Optional<Ipv4> redirectAddress) {
  public HookEnv {
    localAddresses = Set.copyOf(localAddresses);
  }
}
