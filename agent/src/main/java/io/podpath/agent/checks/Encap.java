package io.podpath.agent.checks;

import java.util.Optional;

/** Encapsulation overhead by tunnel type, for an IPv4 underlay (IPv6 adds 20 bytes). */
record Encap(String type, int overhead, String why) {

  static Optional<Encap> of(OvsSnapshot snap) {
    String type = snap.openVswitchExternalIds().getOrDefault("ovn-encap-type", "");
    if (type.isEmpty()) {
      type =
          snap.interfaces().stream()
              .filter(OvsSnapshot.Iface::isTunnel)
              .map(OvsSnapshot.Iface::type)
              .findFirst()
              .orElse("");
    }
    boolean ovn = snap.isOvn();
    // OVN's Geneve carries an 8-byte option (logical in/out ports) on top of plain Geneve's 50.
    return switch (type) {
      case "geneve" ->
          Optional.of(
              ovn
                  ? new Encap(
                      "geneve",
                      58,
                      "OVN Geneve: 14 Ethernet + 20 IPv4 + 8 UDP + 8 Geneve + 8 option")
                  : new Encap("geneve", 50, "Geneve: 14 Ethernet + 20 IPv4 + 8 UDP + 8 Geneve"));
      case "vxlan" ->
          Optional.of(new Encap("vxlan", 50, "VXLAN: 14 Ethernet + 20 IPv4 + 8 UDP + 8 VXLAN"));
      default -> Optional.empty();
    };
  }
}
