package io.podpath.agent.cni;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Which external_ids confirm that an OVS port found by ifindex is a pod's port, and where the CNI
 * writes them. An empty key list means the CNI writes none (ACI: its endpoint files name the veth);
 * the port is then confirmed by being an ordinary interface on the pod bridge.
 *
 * @param onPortRow true when the CNI writes them on the Port row (Antrea), false for Interface
 * @param keys every key must be present
 * @param values keys whose value must also match
 */
public record PodPortIds(boolean onPortRow, List<String> keys, Map<String, String> values) {
  public PodPortIds {
    keys = List.copyOf(keys);
    values = Map.copyOf(values);
  }

  public static PodPortIds onInterface(String... keys) {
    return new PodPortIds(false, List.of(keys), Map.of());
  }

  public static PodPortIds none() {
    return new PodPortIds(false, List.of(), Map.of());
  }

  /** The keys (and values) missing from these external_ids; empty when they confirm the port. */
  public List<String> missingFrom(Map<String, String> externalIds) {
    List<String> missingKeys = keys.stream().filter(k -> !externalIds.containsKey(k)).toList();
    List<String> wrongValues =
        values.entrySet().stream()
            .filter(e -> !e.getValue().equals(externalIds.get(e.getKey())))
            .map(e -> e.getKey() + "=" + e.getValue())
            .sorted()
            .toList();
    return Stream.concat(missingKeys.stream(), wrongValues.stream()).toList();
  }

  public String describe() {
    if (keys.isEmpty() && values.isEmpty()) {
      return "no external_ids (confirmed by being a plain interface on the pod bridge)";
    }
    String where = onPortRow ? "Port" : "Interface";
    List<String> all =
        Stream.concat(
                keys.stream(),
                values.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).sorted())
            .toList();
    return where + " external_ids " + String.join(", ", all);
  }
}
