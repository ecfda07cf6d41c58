package io.podpath.agent.kernel.iptables;

import io.podpath.agent.kernel.IpAddr;
import io.podpath.agent.kernel.KernelPacket;
import java.util.Optional;
import java.util.Set;

/**
 * What a match may look at besides the packet: the output interface once routing chose it (empty
 * before the routing decision), the node's local addresses (addrtype LOCAL), and whether this pass
 * has DNATed or SNATed the packet (conntrack's virtual DNAT/SNAT states).
 */
public record MatchEnv(
    KernelPacket packet,
    Optional<String> outInterface,
    Set<IpAddr> localAddresses,
    boolean dnatted,
    boolean snatted) {}
