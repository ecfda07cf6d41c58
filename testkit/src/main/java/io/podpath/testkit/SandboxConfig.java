package io.podpath.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Configures the sandbox {@link SandboxExtension} injects into a test class. Test classes with
 * equal configurations share one sandbox per JVM. Leave {@code prefix} empty to let the testkit
 * claim a free index (prefix {@code t<index>}); set it (and {@code index}) to pin names.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface SandboxConfig {
  int nodes() default 3;

  int podsPerNode() default 2;

  Mode mode() default Mode.OVN;

  /**
   * The pods' and Service's address families ({@code --ip-family}; IPv6 needs a mode that {@link
   * Mode#buildsIpv6}).
   */
  IpFamily ipFamily() default IpFamily.IPV4;

  /**
   * Geneve between the nodes' IPv6 underlay addresses ({@code --underlay ipv6}; OVN and Kube-OVN).
   */
  boolean ipv6Underlay() default false;

  int podMtu() default 1400;

  int underlayMtu() default 1500;

  String prefix() default "";

  int index() default -1;

  /**
   * OVN-Kubernetes' shared gateway ({@code --gateway-mode shared}: GR_nodeI, breth0; Mode.OVN over
   * IPv4 only).
   */
  boolean sharedGateway() default false;

  /** Start agents and the aggregator when their jars exist. */
  boolean apps() default true;
}
