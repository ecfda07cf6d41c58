package io.podpath.agent.grpc;

import io.podpath.agent.errors.InvalidArgumentException;
import io.podpath.agent.ip.IpLiteral;
import io.podpath.agent.pod.PodKey;
import io.podpath.agent.trace.MacAddress;
import io.podpath.common.Dns1123;
import io.podpath.proto.v1.PodRef;
import java.net.InetAddress;
import java.util.Optional;

/**
 * Turns request fields into typed values or rejects them with the field's name. Nothing from a
 * request reaches a command line without passing through here.
 */
public final class RequestValidator {
  private RequestValidator() {}

  /** namespace: DNS-1123 label (≤ 63); name: DNS-1123 subdomain (≤ 253). */
  public static PodKey pod(PodRef ref, String field) {
    if (ref == null) {
      throw new InvalidArgumentException(field, "required");
    }
    String ns = ref.getNamespace();
    if (ns.isEmpty()) {
      throw new InvalidArgumentException(field + ".namespace", "required");
    }
    if (!Dns1123.isLabel(ns)) {
      throw new InvalidArgumentException(field + ".namespace", "not a DNS-1123 label");
    }
    String name = ref.getName();
    if (name.isEmpty()) {
      throw new InvalidArgumentException(field + ".name", "required");
    }
    if (!Dns1123.isSubdomain(name)) {
      throw new InvalidArgumentException(field + ".name", "not a DNS-1123 subdomain");
    }
    return new PodKey(ns, name);
  }

  /** An IPv4 or IPv6 literal (no host names, no zone ids): never resolved through DNS. */
  public static InetAddress ip(String text, String field) {
    if (text == null || text.isEmpty()) {
      throw new InvalidArgumentException(field, "required");
    }
    return IpLiteral.tryParse(text)
        .orElseThrow(() -> new InvalidArgumentException(field, "not an IPv4 or IPv6 literal"));
  }

  /** An optional MAC address: empty text gives empty. */
  public static Optional<MacAddress> mac(String text, String field) {
    if (text == null || text.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        MacAddress.tryParse(text)
            .orElseThrow(
                () ->
                    new InvalidArgumentException(field, "not a MAC address (aa:bb:cc:dd:ee:ff)")));
  }

  /** A port 1-65535; 0 only when {@code zeroAllowed} (meaning "choose for me"). */
  public static int port(long value, String field, boolean zeroAllowed) {
    if (value == 0 && zeroAllowed) {
      return 0;
    }
    if (value < 1 || value > 65535) {
      throw new InvalidArgumentException(field, "must be 1-65535, got " + value);
    }
    return (int) value;
  }

  /** A value within [min, max]. */
  public static long range(long value, long min, long max, String field) {
    if (value < min || value > max) {
      throw new InvalidArgumentException(field, "must be " + min + "-" + max + ", got " + value);
    }
    return value;
  }
}
