package io.podpath.agent.trace;

import io.podpath.agent.ovsdb.OvsState;
import io.podpath.agent.ovsdb.OvsState.OvsInterface;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The OVS ports whose interface is a device of the node's own network stack: OVSDB interfaces of
 * type {@code internal} (a bridge's LOCAL port is one). A packet OVS outputs to such a port enters
 * the node kernel; a packet the kernel routes to one enters OVS again. Found from OVSDB types,
 * never from names such as ovn-k8s-mp0 or breth0, so any CNI's layout works.
 */
public record HostSidePorts(Map<String, Port> byName) {
  public record Port(String name, String bridge, int ofport) {}

  public HostSidePorts {
    byName = Map.copyOf(byName);
  }

  public static HostSidePorts of(OvsState ovs) {
    Map<String, Port> out = new TreeMap<>();
    for (OvsInterface i : ovs.interfaces()) {
      if (!"internal".equals(i.type()) || i.ofport().orElse(-1) <= 0) {
        continue;
      }
      String bridge = ovs.portOf(i).flatMap(ovs::bridgeOf).map(OvsState.OvsBridge::name).orElse("");
      if (!bridge.isEmpty()) {
        out.put(i.name(), new Port(i.name(), bridge, (int) i.ofport().getAsLong()));
      }
    }
    return new HostSidePorts(out);
  }

  public Set<String> names() {
    return byName.keySet();
  }

  public Optional<Port> named(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  /** The host-side port with this ofport on this bridge. */
  public Optional<Port> at(String bridge, int ofport) {
    return byName.values().stream()
        .filter(p -> p.bridge().equals(bridge) && p.ofport() == ofport)
        .findFirst();
  }
}
