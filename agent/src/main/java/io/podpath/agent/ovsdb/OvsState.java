package io.podpath.agent.ovsdb;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/** A consistent-enough read of the node's Open_vSwitch DB: the rows podpath needs, typed. */
public record OvsState(
    OvsSystem system, List<OvsBridge> bridges, List<OvsPort> ports, List<OvsInterface> interfaces) {

  /** The Open_vSwitch table's single row. */
  public record OvsSystem(
      String uuid, String ovsVersion, Map<String, String> externalIds, List<String> bridgeUuids) {}

  public record OvsBridge(
      String uuid,
      String name,
      String datapathType,
      List<String> portUuids,
      Map<String, String> externalIds) {}

  /** A port; Antrea writes its pod metadata here rather than on the interface. */
  public record OvsPort(
      String uuid, String name, List<String> interfaceUuids, Map<String, String> externalIds) {}

  public record OvsInterface(
      String uuid,
      String name,
      String type,
      OptionalLong ofport,
      OptionalLong ifindex,
      OptionalLong mtu,
      Map<String, String> options,
      Map<String, String> externalIds,
      Map<String, String> status,
      String error,
      String macInUse) {

    public boolean isTunnel() {
      return switch (type) {
        case "geneve", "vxlan", "stt", "gre", "erspan", "ip6gre", "ip6erspan", "gtpu", "bareudp" ->
            true;
        default -> false;
      };
    }
  }

  static final List<String> SYSTEM_COLUMNS = List.of("ovs_version", "external_ids", "bridges");
  static final List<String> BRIDGE_COLUMNS =
      List.of("name", "datapath_type", "ports", "external_ids");
  static final List<String> PORT_COLUMNS = List.of("name", "interfaces");

  /**
   * A one-off read also takes the Port rows' external_ids (Antrea's pod ids); the monitor does not
   * yet (its recorded request fixture would have to be re-recorded first).
   */
  static final List<String> PORT_READ_COLUMNS = List.of("name", "interfaces", "external_ids");

  static final List<String> INTERFACE_COLUMNS =
      List.of(
          "name",
          "type",
          "ofport",
          "ifindex",
          "mtu",
          "options",
          "external_ids",
          "status",
          "error",
          "mac_in_use");

  /** Reads the four tables through either path. */
  public static OvsState read(OvsDatabase db, Duration timeout) {
    return fromRows(
        db.list("Open_vSwitch", SYSTEM_COLUMNS, timeout),
        db.list("Bridge", BRIDGE_COLUMNS, timeout),
        db.list("Port", PORT_READ_COLUMNS, timeout),
        db.list("Interface", INTERFACE_COLUMNS, timeout));
  }

  /** The typed state from the four tables' rows (each with its _uuid), however they were read. */
  public static OvsState fromRows(
      List<OvsdbRow> sys,
      List<OvsdbRow> bridgeRows,
      List<OvsdbRow> portRows,
      List<OvsdbRow> interfaceRows) {
    OvsSystem system =
        sys.isEmpty()
            ? new OvsSystem("", "", Map.of(), List.of())
            : new OvsSystem(
                sys.get(0).uuid(),
                sys.get(0).string("ovs_version"),
                sys.get(0).map("external_ids"),
                sys.get(0).set("bridges"));
    List<OvsBridge> bridges =
        bridgeRows.stream()
            .map(
                r ->
                    new OvsBridge(
                        r.uuid(),
                        r.string("name"),
                        r.string("datapath_type"),
                        r.set("ports"),
                        r.map("external_ids")))
            .toList();
    List<OvsPort> ports =
        portRows.stream()
            .map(
                r ->
                    new OvsPort(
                        r.uuid(), r.string("name"), r.set("interfaces"), r.map("external_ids")))
            .toList();
    List<OvsInterface> ifaces =
        interfaceRows.stream()
            .map(
                r ->
                    new OvsInterface(
                        r.uuid(),
                        r.string("name"),
                        r.string("type"),
                        r.integer("ofport"),
                        r.integer("ifindex"),
                        r.integer("mtu"),
                        r.map("options"),
                        r.map("external_ids"),
                        r.map("status"),
                        r.string("error"),
                        r.string("mac_in_use")))
            .toList();
    return new OvsState(system, bridges, ports, ifaces);
  }

  public Optional<OvsInterface> interfaceByName(String name) {
    return interfaces.stream().filter(i -> i.name().equals(name)).findFirst();
  }

  public List<OvsInterface> interfacesByIfaceId(String ifaceId) {
    return interfaces.stream()
        .filter(i -> ifaceId.equals(i.externalIds().get("iface-id")))
        .toList();
  }

  public Optional<OvsPort> portOf(OvsInterface iface) {
    return ports.stream().filter(p -> p.interfaceUuids().contains(iface.uuid())).findFirst();
  }

  public Optional<OvsBridge> bridgeOf(OvsPort port) {
    return bridges.stream().filter(b -> b.portUuids().contains(port.uuid())).findFirst();
  }

  public Optional<OvsBridge> bridge(String name) {
    return bridges.stream().filter(b -> b.name().equals(name)).findFirst();
  }
}
