package io.podpath.agent.checks;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The part of the node's OVSDB the checks look at.
 *
 * @param externalIds interface name → its Interface row's external_ids merged with its Port row's
 *     (Antrea names the pod on the Port row), for naming a pod by its CNI's profile
 * @param localIps tunnel interface name → its options:local_ip, where set
 */
public record OvsSnapshot(
    List<Bridge> bridges,
    List<Iface> interfaces,
    Map<String, String> openVswitchExternalIds,
    Map<String, Map<String, String>> externalIds,
    Map<String, String> localIps) {

  public OvsSnapshot {
    bridges = List.copyOf(bridges);
    interfaces = List.copyOf(interfaces);
    openVswitchExternalIds = Map.copyOf(openVswitchExternalIds);
    externalIds = Map.copyOf(externalIds);
    localIps = Map.copyOf(localIps);
  }

  public OvsSnapshot(
      List<Bridge> bridges, List<Iface> interfaces, Map<String, String> openVswitchExternalIds) {
    this(bridges, interfaces, openVswitchExternalIds, Map.of(), Map.of());
  }

  /** The external_ids of an interface (its Port row's included); empty when it has none. */
  public Map<String, String> idsOf(String iface) {
    return externalIds.getOrDefault(iface, Map.of());
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
