package io.podpath.testkit;

import java.util.ArrayList;
import java.util.List;

/**
 * How to bring a sandbox up. {@code prefix} (1-3 chars) and {@code index} (0-99) name it and pick
 * its underlay subnet 172.31.index.0/24; when {@code prefix} is empty the testkit claims a free
 * index and uses prefix {@code t<index>}.
 */
public record SandboxSpec(
    int nodes,
    int podsPerNode,
    Mode mode,
    IpFamily ipFamily,
    boolean ipv6Underlay,
    int podMtu,
    int underlayMtu,
    String prefix,
    int index,
    boolean apps,
    boolean sharedGateway) {

  public SandboxSpec {
    if (nodes < 1 || nodes > 9) {
      throw new IllegalArgumentException("nodes must be 1..9");
    }
    if (podsPerNode < 1 || podsPerNode > 50) {
      throw new IllegalArgumentException("podsPerNode must be 1..50");
    }
    if (!prefix.isEmpty() && !prefix.matches("[a-z][a-z0-9]{0,2}")) {
      throw new IllegalArgumentException("prefix must match [a-z][a-z0-9]{0,2}: " + prefix);
    }
    if (ipv6Underlay && mode != Mode.OVN && mode != Mode.KUBE_OVN && mode != Mode.ANTREA) {
      throw new IllegalArgumentException(
          "ipv6Underlay needs Mode.OVN, Mode.KUBE_OVN or Mode.ANTREA");
    }
    if (ipFamily != IpFamily.IPV4 && !mode.buildsIpv6()) {
      throw new IllegalArgumentException(
          "ipFamily "
              + ipFamily.cliName()
              + ": mode "
              + mode.cliName()
              + " is IPv4 only (hack/sandbox up refuses it)");
    }
    if (sharedGateway && (mode != Mode.OVN || ipFamily != IpFamily.IPV4 || ipv6Underlay)) {
      throw new IllegalArgumentException(
          "sharedGateway: hack/sandbox builds --gateway-mode shared for Mode.OVN over IPv4 only");
    }
    if (index < -1 || index > 99) {
      throw new IllegalArgumentException("index must be 0..99 (or -1 = claim one)");
    }
  }

  /** The local gateway mode ({@code hack/sandbox up}'s default). */
  public SandboxSpec(
      int nodes,
      int podsPerNode,
      Mode mode,
      IpFamily ipFamily,
      boolean ipv6Underlay,
      int podMtu,
      int underlayMtu,
      String prefix,
      int index,
      boolean apps) {
    this(
        nodes,
        podsPerNode,
        mode,
        ipFamily,
        ipv6Underlay,
        podMtu,
        underlayMtu,
        prefix,
        index,
        apps,
        false);
  }

  /** Defaults of {@code hack/sandbox up}: 3 OVN nodes, 2 pods each, pod MTU 1400, underlay 1500. */
  public static SandboxSpec defaults() {
    return new SandboxSpec(3, 2, Mode.OVN, IpFamily.IPV4, false, 1400, 1500, "", -1, true);
  }

  static SandboxSpec of(SandboxConfig c) {
    return new SandboxSpec(
        c.nodes(),
        c.podsPerNode(),
        c.mode(),
        c.ipFamily(),
        c.ipv6Underlay(),
        c.podMtu(),
        c.underlayMtu(),
        c.prefix(),
        c.index(),
        c.apps(),
        c.sharedGateway());
  }

  public SandboxSpec withMode(Mode m) {
    return new SandboxSpec(
        nodes,
        podsPerNode,
        m,
        ipFamily,
        ipv6Underlay,
        podMtu,
        underlayMtu,
        prefix,
        index,
        apps,
        sharedGateway);
  }

  public SandboxSpec withApps(boolean a) {
    return new SandboxSpec(
        nodes,
        podsPerNode,
        mode,
        ipFamily,
        ipv6Underlay,
        podMtu,
        underlayMtu,
        prefix,
        index,
        a,
        sharedGateway);
  }

  public SandboxSpec withName(String p, int i) {
    return new SandboxSpec(
        nodes,
        podsPerNode,
        mode,
        ipFamily,
        ipv6Underlay,
        podMtu,
        underlayMtu,
        p,
        i,
        apps,
        sharedGateway);
  }

  public SandboxSpec withIpFamily(IpFamily f) {
    return new SandboxSpec(
        nodes,
        podsPerNode,
        mode,
        f,
        ipv6Underlay,
        podMtu,
        underlayMtu,
        prefix,
        index,
        apps,
        sharedGateway);
  }

  /** The flags of {@code hack/sandbox up} that build this sandbox. */
  List<String> upFlags() {
    List<String> flags =
        new ArrayList<>(
            List.of(
                "--nodes", Integer.toString(nodes()),
                "--pods-per-node", Integer.toString(podsPerNode()),
                "--mode", mode().cliName(),
                "--ip-family", ipFamily().cliName(),
                "--underlay", ipv6Underlay() ? "ipv6" : "ipv4",
                "--gateway-mode", sharedGateway() ? "shared" : "local",
                "--pod-mtu", Integer.toString(podMtu()),
                "--underlay-mtu", Integer.toString(underlayMtu())));
    if (!apps()) {
      flags.add("--no-apps");
    }
    return flags;
  }
}
