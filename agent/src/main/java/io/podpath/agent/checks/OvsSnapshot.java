package io.podpath.agent.checks;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The part of the node's OVSDB the checks look at. */
public record OvsSnapshot(
    List<Bridge> bridges, List<Iface> interfaces, Map<String, String> openVswitchExternalIds) {

  public OvsSnapshot {
    bridges = List.copyOf(bridges);
    interfaces = List.copyOf(interfaces);
    openVswitchExternalIds = Map.copyOf(openVswitchExternalIds);
  }

  public record Bridge(String name, String datapathType) {}

  /**
   * One OVS Interface row. {@code ofport} is -1 when OVS could not open it; {@code error} is the
   * row's error column ("" when none).
   */
  public record Iface(
      String name,
      String bridge,
      String type,
      int ofport,
      String error,
      String remoteIp,
      String ifaceId,
      String linkState) {
    public boolean isTunnel() {
      return type.equals("geneve") || type.equals("vxlan") || type.equals("stt");
    }
  }

  public boolean isOvn() {
    return openVswitchExternalIds.containsKey("ovn-remote");
  }

  public Optional<String> encapIp() {
    return Optional.ofNullable(openVswitchExternalIds.get("ovn-encap-ip"));
  }

  public Optional<Bridge> bridge(String name) {
    return bridges.stream().filter(b -> b.name().equals(name)).findFirst();
  }
}
