package io.podpath.agent.kernel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The node's neighbour entry for a next hop ({@code ip -j neigh show to ADDR dev DEV}): the MAC a
 * packet the kernel sends to an OVS host-side port carries, so the OVS trace from that port uses
 * the destination MAC a real packet has. {@code state} is the kernel's NUD state (REACHABLE, STALE,
 * FAILED, ...); an entry without lladdr (INCOMPLETE, FAILED) gives no MAC.
 */
public record Neighbour(IpAddr address, Optional<String> mac, List<String> state) {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern MAC = Pattern.compile("([0-9a-f]{2}:){5}[0-9a-f]{2}");

  public Neighbour {
    state = List.copyOf(state);
  }

  /** The argv that asks the kernel (the device name is checked like every interface name). */
  public static List<String> argv(IpAddr address, String device) {
    if (!Pattern.matches("[A-Za-z0-9_.:@-]{1,15}", device)) {
      throw new IllegalArgumentException("not an interface name: " + device);
    }
    return List.of("ip", "-j", "neigh", "show", "to", address.toString(), "dev", device);
  }

  /** The entry for {@code address} in the tool's answer; empty when the kernel has none. */
  public static Optional<Neighbour> parse(IpAddr address, String json) {
    if (json.isBlank()) {
      return Optional.empty();
    }
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (IOException e) {
      throw new KernelParseException("ip -j neigh: not JSON: " + e.getMessage());
    }
    if (!root.isArray()) {
      throw new KernelParseException("ip -j neigh: not a JSON array");
    }
    for (JsonNode n : root) {
      if (!IpAddr.tryParse(n.path("dst").asText()).equals(Optional.of(address))) {
        continue;
      }
      String ll = n.path("lladdr").asText("").toLowerCase(Locale.ROOT);
      List<String> state = new ArrayList<>();
      n.path("state").forEach(s -> state.add(s.asText()));
      return Optional.of(
          new Neighbour(
              address, MAC.matcher(ll).matches() ? Optional.of(ll) : Optional.empty(), state));
    }
    return Optional.empty();
  }
}
