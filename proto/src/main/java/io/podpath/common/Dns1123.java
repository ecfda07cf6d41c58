package io.podpath.common;

import java.util.regex.Pattern;

/**
 * Kubernetes' name rules (apimachinery validation), in one place for the agent and the aggregator:
 * a namespace is a DNS-1123 label, a pod, Service or node name a DNS-1123 subdomain. Plain Java, no
 * proto types, so domain code may use it.
 */
public final class Dns1123 {
  public static final int LABEL_MAX = 63;
  public static final int SUBDOMAIN_MAX = 253;

  private static final Pattern LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  private static final Pattern SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

  private Dns1123() {}

  /** At most 63 of [a-z0-9-], starting and ending alphanumeric (e.g. a namespace). */
  public static boolean isLabel(String s) {
    return s != null && s.length() <= LABEL_MAX && LABEL.matcher(s).matches();
  }

  /** Dot-separated labels, at most 253 characters in all (e.g. a pod or node name). */
  public static boolean isSubdomain(String s) {
    return s != null && s.length() <= SUBDOMAIN_MAX && SUBDOMAIN.matcher(s).matches();
  }
}
