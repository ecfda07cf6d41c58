package io.podpath.agent.trace;

import java.util.Map;

/**
 * What the node's OVSDB says about one interface: its bridge, OpenFlow port, type, the {@code
 * external_ids:iface-id} binding it to a logical port, and (tunnels) its options.
 */
public record PortInfo(
    String name,
    String bridge,
    int ofport,
    String type,
    String ifaceId,
    Map<String, String> options,
    String macInUse) {
  public PortInfo {
    options = Map.copyOf(options);
  }

  public boolean isTunnel() {
    return switch (type) {
      case "geneve", "vxlan", "stt", "gre", "erspan", "ip6gre", "ip6erspan", "gtpu", "bareudp" ->
          true;
      default -> false;
    };
  }

  public String remoteIp() {
    return options.getOrDefault("remote_ip", "");
  }

  public String localIp() {
    return options.getOrDefault("local_ip", "");
  }
}
