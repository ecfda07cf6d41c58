package io.podpath.agent.pod;

/** A pod's OVS side only: enough to start a trace on its port. */
public record PodPort(
    PodKey pod, String ifaceId, String interfaceName, String bridge, int ofport, String mac) {}
