package io.podpath.agent.ip;

/** One route as {@code ip -j route} prints it (empty strings for absent attributes). */
public record IpRoute(
    String destination,
    String gateway,
    String device,
    String protocol,
    String scope,
    String source,
    int mtu) {}
