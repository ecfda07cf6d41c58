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
    if (ipv6Underlay
        && mode != Mode.OVN
        && mode != Mode.KUBE_OVN
        && mode != Mode.ANTREA
        && mode != Mode.OVS) {
      throw new IllegalArgumentException(
          "ipv6Underlay needs Mode.OVN, Mode.KUBE_OVN, Mode.ANTREA or Mode.OVS");
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
    return new Builder().build();
  }

  static SandboxSpec of(SandboxConfig c) {
    Builder b = new Builder();
    b.nodes = c.nodes();
    b.podsPerNode = c.podsPerNode();
    b.mode = c.mode();
    b.ipFamily = c.ipFamily();
    b.ipv6Underlay = c.ipv6Underlay();
    b.podMtu = c.podMtu();
    b.underlayMtu = c.underlayMtu();
    b.prefix = c.prefix();
    b.index = c.index();
    b.apps = c.apps();
    b.sharedGateway = c.sharedGateway();
    return b.build();
  }

  public SandboxSpec withMode(Mode m) {
    Builder b = toBuilder();
    b.mode = m;
    return b.build();
  }

  public SandboxSpec withApps(boolean a) {
    Builder b = toBuilder();
    b.apps = a;
    return b.build();
  }

  public SandboxSpec withName(String p, int i) {
    Builder b = toBuilder();
    b.prefix = p;
    b.index = i;
    return b.build();
  }

  public SandboxSpec withIpFamily(IpFamily f) {
    Builder b = toBuilder();
    b.ipFamily = f;
    return b.build();
  }

  private Builder toBuilder() {
    Builder b = new Builder();
    b.nodes = nodes;
    b.podsPerNode = podsPerNode;
    b.mode = mode;
    b.ipFamily = ipFamily;
    b.ipv6Underlay = ipv6Underlay;
    b.podMtu = podMtu;
    b.underlayMtu = underlayMtu;
    b.prefix = prefix;
    b.index = index;
    b.apps = apps;
    b.sharedGateway = sharedGateway;
    return b;
  }

  /** One field changed at a time, by name, instead of eleven positional ones rebuilt by hand. */
  private static final class Builder {
    int nodes = 3;
    int podsPerNode = 2;
    Mode mode = Mode.OVN;
    IpFamily ipFamily = IpFamily.IPV4;
    boolean ipv6Underlay;
    int podMtu = 1400;
    int underlayMtu = 1500;
    String prefix = "";
    int index = -1;
    boolean apps = true;
    boolean sharedGateway;

    SandboxSpec build() {
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
          apps,
          sharedGateway);
    }
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
