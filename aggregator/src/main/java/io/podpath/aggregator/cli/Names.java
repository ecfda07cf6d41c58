package io.podpath.aggregator.cli;

import io.podpath.aggregator.trace.EndpointSpec;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The CLI's names for pods and Services, read as kubectl reads them: {@code NAME} and {@code
 * pod/NAME} are pods in the default namespace, {@code svc/NAME} a Service there; {@code NS/NAME},
 * {@code pod/NS/NAME} and {@code svc/NS/NAME} name the namespace; {@code ip:ADDRESS} an address,
 * {@code node/NAME} a node and {@code node/NAME:PORT} a NodePort on it. The default namespace is
 * {@code -n}, else the kubeconfig context's, else {@code default}; it is looked up only when a name
 * lacks one.
 */
final class Names {
  private static final Set<String> SERVICE = Set.of("svc", "service", "services");
  private static final Set<String> POD = Set.of("po", "pod", "pods");

  private Names() {}

  /**
   * @throws IllegalArgumentException saying what is expected
   */
  static EndpointSpec parse(String text, Supplier<String> defaultNamespace) {
    String t = text.trim();
    if (t.startsWith("ip:") || t.startsWith("node/")) {
      return EndpointSpec.parse(t);
    }
    String[] parts = t.split("/", -1);
    String normal =
        switch (parts.length) {
          case 1 -> defaultNamespace.get() + "/" + t;
          case 2 ->
              SERVICE.contains(parts[0])
                  ? "svc/" + defaultNamespace.get() + "/" + parts[1]
                  : POD.contains(parts[0]) ? defaultNamespace.get() + "/" + parts[1] : t;
          case 3 ->
              SERVICE.contains(parts[0])
                  ? "svc/" + parts[1] + "/" + parts[2]
                  : POD.contains(parts[0]) ? parts[1] + "/" + parts[2] : t;
          default -> t;
        };
    if (t.isEmpty()) {
      normal = t;
    }
    return EndpointSpec.parse(normal);
  }
}
