package io.podpath.agent.trace;

import io.podpath.agent.ovsdb.OvsState;
import io.podpath.agent.ovsdb.OvsState.OvsInterface;
import java.util.HashMap;
import java.util.Map;

/** Joins OVSDB's interfaces with dpif/show's bridges: interface name → {@link PortInfo}. */
final class PortDirectory {
  private PortDirectory() {}

  static Map<String, PortInfo> of(OvsState ovs, DpifPorts dpif) {
    Map<String, PortInfo> out = new HashMap<>();
    for (OvsInterface i : ovs.interfaces()) {
      String bridge =
          ovs.portOf(i)
              .flatMap(ovs::bridgeOf)
              .map(OvsState.OvsBridge::name)
              .orElseGet(() -> dpif.byName(i.name()).map(DpifPorts.Port::bridge).orElse(""));
      out.put(
          i.name(),
          new PortInfo(
              i.name(),
              bridge,
              (int) i.ofport().orElse(-1),
              i.type(),
              i.externalIds().getOrDefault("iface-id", ""),
              i.options(),
              i.macInUse()));
    }
    return out;
  }
}
