package io.podpath.agent.trace;

import io.podpath.agent.kernel.KernelHopOutcome;
import java.util.Optional;

/**
 * The node kernel's part of a TraceNode: the device the packet entered the kernel by (empty when
 * the node made it), what the kernel did, and for a packet routed back into OVS the host-side port
 * (bridge, ofport) where the OVS trace continues and the MAC of the next hop's neighbour entry (the
 * destination MAC the packet carries into OVS; empty when the kernel has not resolved it).
 */
public record KernelPart(
    String enteredBy,
    KernelHopOutcome hop,
    Optional<HostSidePorts.Port> backTo,
    Optional<String> nextHopMac) {}
