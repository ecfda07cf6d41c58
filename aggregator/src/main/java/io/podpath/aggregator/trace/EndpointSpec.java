package io.podpath.aggregator.trace;

import io.podpath.aggregator.inventory.ObjectRef;
import io.podpath.aggregator.util.IpLiteral;
import io.podpath.aggregator.util.Shown;
import io.podpath.common.Dns1123;

/** A source or destination as the user names it: a pod, a Service, an IP or a node. */
public sealed interface EndpointSpec {
  /** A pod by namespace and name. */
  record Pod(ObjectRef ref) implements EndpointSpec {
    @Override
    public String toString() {
      return ref.toString();
    }
  }

  /** A Service by namespace and name. */
  record Service(ObjectRef ref) implements EndpointSpec {
    @Override
    public String toString() {
      return "svc/" + ref;
    }
  }

  /** An IP literal (canonical). */
  record Ip(String ip) implements EndpointSpec {
    @Override
    public String toString() {
      return ip;
    }
  }

  /**
   * A Kubernetes Node: its own network stack ({@code port} 0) or, as a destination, a NodePort on
   * it.
   */
  record Node(String name, int port) implements EndpointSpec {
    @Override
    public String toString() {
      return "node/" + name + (port == 0 ? "" : ":" + port);
    }
  }

  /**
   * Parses the CLI syntax: {@code NS/POD}, {@code svc/NS/NAME}, {@code ip:ADDR}, {@code
   * node/NAME[:PORT]}.
   *
   * @throws IllegalArgumentException with a message saying what is expected
   */
  static EndpointSpec parse(String text) {
    String t = text.trim();
    if (t.startsWith("ip:")) {
      String ip = t.substring(3);
      return new Ip(
          IpLiteral.canonical(ip)
              .orElseThrow(
                  () ->
                      new IllegalArgumentException("'" + Shown.of(ip) + "' is not an IP address")));
    }
    if (t.startsWith("node/")) {
      return node(t.substring(5), text);
    }
    String[] parts = t.split("/", -1);
    if (parts.length == 3 && (parts[0].equals("svc") || parts[0].equals("service"))) {
      return new Service(ref(parts[1], parts[2], text));
    }
    if (parts.length == 2) {
      return new Pod(ref(parts[0], parts[1], text));
    }
    throw new IllegalArgumentException(
        "'"
            + Shown.of(text)
            + "': expected NAMESPACE/POD, svc/NAMESPACE/NAME, ip:ADDRESS or node/NAME[:PORT]");
  }

  private static Node node(String rest, String text) {
    int colon = rest.indexOf(':');
    String name = colon < 0 ? rest : rest.substring(0, colon);
    if (!Dns1123.isSubdomain(name)) {
      throw new IllegalArgumentException(
          "'"
              + Shown.of(text)
              + "': node name '"
              + Shown.of(name)
              + "' is not a DNS-1123 subdomain");
    }
    if (colon < 0) {
      return new Node(name, 0);
    }
    String port = rest.substring(colon + 1);
    int n;
    try {
      n = Integer.parseInt(port);
    } catch (NumberFormatException e) {
      n = -1;
    }
    if (n < 1 || n > 65535) {
      throw new IllegalArgumentException(
          "'" + Shown.of(text) + "': NodePort '" + Shown.of(port) + "' is not in 1-65535");
    }
    return new Node(name, n);
  }

  static ObjectRef ref(String namespace, String name, String text) {
    if (!Dns1123.isLabel(namespace)) {
      throw new IllegalArgumentException(
          "'"
              + Shown.of(text)
              + "': namespace '"
              + Shown.of(namespace)
              + "' is not a DNS-1123 label");
    }
    if (!Dns1123.isSubdomain(name)) {
      throw new IllegalArgumentException(
          "'" + Shown.of(text) + "': name '" + Shown.of(name) + "' is not a DNS-1123 subdomain");
    }
    return new ObjectRef(namespace, name);
  }
}
