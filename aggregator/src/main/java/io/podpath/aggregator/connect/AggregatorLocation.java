package io.podpath.aggregator.connect;

import io.podpath.common.Dns1123;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Where the in-cluster aggregator is: the namespace podpath was installed in, the aggregator's
 * Service (whose selector finds its pods), and the name of the container port the CLI's gRPC
 * listens on (bound to 127.0.0.1 in the pod by default, so only a port-forward reaches it; with the
 * chart's aggregator.exposeCli it also listens on the pod IP, mTLS only).
 */
public record AggregatorLocation(String namespace, String service, String portName) {
  public static final String DEFAULT_NAMESPACE = "podpath";
  public static final String DEFAULT_SERVICE = "podpath-aggregator";

  /** The port name charts/podpath gives the aggregator's CLI port. */
  public static final String DEFAULT_PORT_NAME = "grpc-cli";

  // An IANA service name, as Kubernetes validates a container port's name.
  private static final Pattern PORT_NAME = Pattern.compile("[a-z0-9]([-a-z0-9]{0,13}[a-z0-9])?");

  public AggregatorLocation {
    require(namespace, Dns1123::isLabel, "namespace");
    require(service, Dns1123::isLabel, "service");
    require(portName, n -> PORT_NAME.matcher(n).matches(), "port name");
  }

  public static AggregatorLocation defaults() {
    return new AggregatorLocation(DEFAULT_NAMESPACE, DEFAULT_SERVICE, DEFAULT_PORT_NAME);
  }

  /** The namespace and Service given on the command line (blank = default). */
  public static AggregatorLocation of(@Nullable String namespace, @Nullable String service) {
    return new AggregatorLocation(
        orDefault(namespace, DEFAULT_NAMESPACE),
        orDefault(service, DEFAULT_SERVICE),
        DEFAULT_PORT_NAME);
  }

  /** The Role charts/podpath creates for people allowed to trace: {@code <fullname>-user}. */
  String userRole() {
    String suffix = "-aggregator";
    String prefix =
        service.endsWith(suffix)
            ? service.substring(0, service.length() - suffix.length())
            : service;
    return prefix + "-user";
  }

  private static String orDefault(@Nullable String s, String dflt) {
    return s == null || s.isBlank() ? dflt : s.trim();
  }

  private static void require(String value, Predicate<String> valid, String what) {
    if (value == null || !valid.test(value)) {
      throw new IllegalArgumentException("not a valid Kubernetes " + what + ": " + value);
    }
  }
}
