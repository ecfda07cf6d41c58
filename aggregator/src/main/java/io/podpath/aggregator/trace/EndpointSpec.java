package io.podpath.aggregator.trace;

import io.podpath.aggregator.inventory.ObjectRef;
import io.podpath.aggregator.util.IpLiteral;
import io.podpath.aggregator.util.Shown;
import java.util.regex.Pattern;

/** A source or destination as the user names it: a pod, a Service or an IP. */
public sealed interface EndpointSpec {
  Pattern LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
  Pattern SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");

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
   * Parses the CLI syntax: {@code NS/POD}, {@code svc/NS/NAME}, {@code ip:ADDR}.
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
    String[] parts = t.split("/", -1);
    if (parts.length == 3 && (parts[0].equals("svc") || parts[0].equals("service"))) {
      return new Service(ref(parts[1], parts[2], text));
    }
    if (parts.length == 2) {
      return new Pod(ref(parts[0], parts[1], text));
    }
    throw new IllegalArgumentException(
        "'" + Shown.of(text) + "': expected NAMESPACE/POD, svc/NAMESPACE/NAME or ip:ADDRESS");
  }

  static ObjectRef ref(String namespace, String name, String text) {
    if (!LABEL.matcher(namespace).matches()) {
      throw new IllegalArgumentException(
          "'"
              + Shown.of(text)
              + "': namespace '"
              + Shown.of(namespace)
              + "' is not a DNS-1123 label");
    }
    if (!SUBDOMAIN.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "'" + Shown.of(text) + "': name '" + Shown.of(name) + "' is not a DNS-1123 subdomain");
    }
    return new ObjectRef(namespace, name);
  }
}
