package io.podpath.agent.kernel;

import java.util.Optional;

/** The kernel's answer to {@code ip route get}: a route, or the error it gave (no route). */
public sealed interface RouteAnswer {
  /** {@code type} is "unicast", "local", "blackhole", ...; {@code source} the prefsrc if any. */
  record Route(
      String type, String device, Optional<IpAddr> gateway, Optional<IpAddr> source, int mtu)
      implements RouteAnswer {}

  /** The kernel refused: {@code message} as iproute2 printed it ("Network is unreachable"). */
  record Unroutable(String message) implements RouteAnswer {}
}
