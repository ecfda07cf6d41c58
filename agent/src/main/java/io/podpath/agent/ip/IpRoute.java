package io.podpath.agent.ip;

/**
 * One route as {@code ip -j route} / {@code ip -j route get} prints it (empty strings for absent
 * attributes; {@code type} is "unicast", "unreachable", "local", ...).
 */
public record IpRoute(
    String type,
    String destination,
    String gateway,
    String device,
    String protocol,
    String scope,
    String source,
    int mtu) {}
