package io.podpath.agent.grpc;

import com.google.common.net.InetAddresses;
import io.podpath.agent.errors.InvalidArgumentException;
import io.podpath.agent.pod.PodKey;
import io.podpath.proto.v1.PodRef;
import java.net.InetAddress;
import java.util.regex.Pattern;

/**
 * Turns request fields into typed values or rejects them with the field's name. Nothing from a
 * request reaches a command line without passing through here.
 */
public final class RequestValidator {
  private static final Pattern DNS1123_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  private static final Pattern DNS1123_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

  private static final Pattern ASCII_IP_CHARS = Pattern.compile("[0-9A-Fa-f.:]+");

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
    if (ns.length() > 63 || !DNS1123_LABEL.matcher(ns).matches()) {
      throw new InvalidArgumentException(field + ".namespace", "not a DNS-1123 label");
    }
    String name = ref.getName();
    if (name.isEmpty()) {
      throw new InvalidArgumentException(field + ".name", "required");
    }
    if (name.length() > 253 || !DNS1123_SUBDOMAIN.matcher(name).matches()) {
      throw new InvalidArgumentException(field + ".name", "not a DNS-1123 subdomain");
    }
    return new PodKey(ns, name);
  }

  /** An IPv4 or IPv6 literal (no host names, no zone ids): never resolved through DNS. */
  public static InetAddress ip(String text, String field) {
    if (text == null || text.isEmpty()) {
      throw new InvalidArgumentException(field, "required");
    }
    // ASCII only: Guava also accepts other scripts' digits ("٣.٣.٣.٣" would be 3.3.3.3).
    if (text.length() > 45
        || !ASCII_IP_CHARS.matcher(text).matches()
        || !InetAddresses.isInetAddress(text)) {
      throw new InvalidArgumentException(field, "not an IPv4 or IPv6 literal");
    }
    return InetAddresses.forString(text);
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
