package io.podpath.testkit;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The subset of {@code $PODPATH_SANDBOX_DIR/sandbox.json} (written by hack/lib/manifest.py) we use.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
record SandboxInfo(
    String prefix,
    String mode,
    String externalIp,
    String externalNetns,
    String centralNetns,
    String fabricNetns,
    String serviceIp,
    List<String> serviceIps,
    List<String> externalIps,
    List<String> ingressAddresses,
    String ovnNbSocket,
    String ovnSbSocket,
    List<NodeInfo> nodes,
    List<PodInfo> pods) {

  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  static SandboxInfo read(Path file) {
    try {
      return JSON.readValue(file.toFile(), SandboxInfo.class);
    } catch (IOException e) {
      throw new SandboxException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /** Every netns of the sandbox: fabric, central (ovn), ext, nodes, pods. */
  List<String> namespaces() {
    List<String> all = new ArrayList<>();
    all.add(fabricNetns);
    if (centralNetns != null) {
      all.add(centralNetns);
    }
    all.add(externalNetns);
    nodes.forEach(n -> all.add(n.netns()));
    pods.forEach(p -> all.add(p.netns()));
    return all;
  }

  /** A node name, pod {@code ns/name}, ext, central, fabric or one of our netns names -> netns. */
  Optional<String> netnsOf(String target) {
    for (NodeInfo n : nodes) {
      if (n.name().equals(target)) {
        return Optional.of(n.netns());
      }
    }
    for (PodInfo p : pods) {
      if ((p.namespace() + "/" + p.name()).equals(target)) {
        return Optional.of(p.netns());
      }
    }
    return switch (target) {
      case "ext" -> Optional.of(externalNetns);
      case "fabric" -> Optional.of(fabricNetns);
      case "central" -> Optional.ofNullable(centralNetns);
      default -> namespaces().contains(target) ? Optional.of(target) : Optional.empty();
    };
  }

  /** The address of {@code family} among {@code all} (Service or external host). */
  static String ofFamily(List<String> all, String first, int family, String what) {
    List<String> list = all == null ? List.of(first) : all;
    return list.stream()
        .filter(a -> IpFamily.of(a) == family)
        .findFirst()
        .orElseThrow(
            () -> new SandboxException("the " + what + " has no IPv" + family + " address"));
  }

  @JsonIgnoreProperties(ignoreUnknown = true)
  record NodeInfo(
      String name,
      String ip,
      List<String> ips,
      String netns,
      String ovsRundir,
      String ovnRundir,
      String subnet) {
    Node toNode() {
      return new Node(name, ip, netns, Path.of(ovsRundir), Path.of(ovnRundir), subnet, ips);
    }
  }

  @JsonIgnoreProperties(ignoreUnknown = true)
  record PodInfo(
      String namespace,
      String name,
      String node,
      String ip,
      String mac,
      String netns,
      String hostInterface,
      List<String> ips) {
    Pod toPod() {
      return new Pod(namespace, name, node, ip, mac, netns, hostInterface, ips);
    }
  }
}
