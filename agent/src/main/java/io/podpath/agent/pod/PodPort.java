package io.podpath.agent.pod;

import java.util.OptionalInt;

/**
 * A pod's OVS side only: enough to start a trace on its port.
 *
 * @param ofport empty while OVS has not numbered the port
 */
public record PodPort(
    PodKey pod,
    String ifaceId,
    String interfaceName,
    String bridge,
    OptionalInt ofport,
    String mac) {}
