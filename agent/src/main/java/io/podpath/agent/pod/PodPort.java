package io.podpath.agent.pod;

import java.util.OptionalInt;

/**
 * A pod's OVS side only: enough to start a trace on its port.
 *
 * @param ofport as OVS gives it (-1 for a broken port); empty when OVS has not numbered it
 */
public record PodPort(
    PodKey pod,
    String ifaceId,
    String interfaceName,
    String bridge,
    OptionalInt ofport,
    String mac) {}
