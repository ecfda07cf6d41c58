package io.podpath.agent.trace;

import io.podpath.agent.ovsdb.OvsState;
import io.podpath.agent.ovsdb.OvsState.OvsBridge;
import io.podpath.agent.ovsdb.OvsState.OvsInterface;
import java.util.List;
import java.util.Optional;

/**
 * When the node's uplink device is the LOCAL port of an OVS bridge other than the integration
 * bridge (OVN-Kubernetes' {@code breth0}, a netdev bridge holding the node IP), a packet from
 * outside first arrives on that bridge's one physical port (the NIC) and meets the bridge's flows
 * before the kernel sees it. Found from OVSDB (the LOCAL port is the internal interface named like
 * its bridge; the NIC is the bridge's only interface of type "" or "dpdk"), never from names.
 */
record UplinkBridge(String bridge, String nic, int nicOfport, Optional<MacAddress> localMac) {

  /** The bridge whose LOCAL port is {@code device}, or empty when the packet enters the kernel. */
  static Optional<UplinkBridge> of(OvsState ovs, String device, String integrationBridge) {
    Optional<OvsInterface> local = ovs.interfaceByName(device);
    if (local.isEmpty() || !"internal".equals(local.get().type())) {
      return Optional.empty();
    }
    Optional<OvsBridge> br = ovs.portOf(local.get()).flatMap(ovs::bridgeOf);
    if (br.isEmpty()
        || !br.get().name().equals(device)
        || br.get().name().equals(integrationBridge)) {
      return Optional.empty();
    }
    List<OvsInterface> nics =
        ovs.interfaces().stream()
            .filter(i -> i.type().isEmpty() || "dpdk".equals(i.type()))
            .filter(i -> i.ofport().orElse(-1) > 0)
            .filter(
                i ->
                    ovs.portOf(i)
                        .flatMap(ovs::bridgeOf)
                        .map(b -> b.name().equals(device))
                        .orElse(false))
            .toList();
    if (nics.size() != 1) {
      return Optional.empty();
    }
    OvsInterface nic = nics.get(0);
    return Optional.of(
        new UplinkBridge(
            device,
            nic.name(),
            (int) nic.ofport().getAsLong(),
            MacAddress.tryParse(local.get().macInUse())));
  }
}
