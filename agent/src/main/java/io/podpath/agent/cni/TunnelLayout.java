package io.podpath.agent.cni;

import java.util.Optional;

/**
 * How a CNI's node reaches its peers. Flow-based ports ({@code remote_ip=flow}) take their peer
 * from {@code set_field:<IP>->tun_dst} in the flows; per-peer ports carry a fixed remote_ip.
 *
 * @param type the OVSDB interface type of the tunnel ports (geneve, vxlan)
 * @param portName the single flow-based port's name, empty when the CNI makes one port per peer
 * @param bridge the bridge the tunnel port sits on
 * @param udpPort the UDP destination port on the underlay
 * @param viaFabric the tunnels end at the fabric (ACI: the leaf's VTEP), not at the peer nodes
 */
public record TunnelLayout(
    String type, Optional<String> portName, String bridge, int udpPort, boolean viaFabric) {

  public TunnelLayout(String type, Optional<String> portName, String bridge, int udpPort) {
    this(type, portName, bridge, udpPort, false);
  }

  public boolean flowBased() {
    return portName.isPresent();
  }

  /** Outer headers added to every tunnelled packet (IPv4 underlay), for the MTU budget. */
  public int overheadBytes() {
    // outer IPv4 20 + UDP 8 + Geneve/VXLAN 8 + inner Ethernet 14; Geneve options come on top.
    return 50;
  }
}
