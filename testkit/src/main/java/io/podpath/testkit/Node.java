package io.podpath.testkit;

import java.nio.file.Path;
import java.util.List;

/**
 * A sandbox node: a network namespace running its own ovsdb-server, ovs-vswitchd (and
 * ovn-controller). {@code ip} is its IPv4 underlay address (agents listen there); {@code ips} adds
 * the IPv6 one on an IPv6 sandbox.
 */
public record Node(
    String name,
    String ip,
    String netns,
    Path ovsRundir,
    Path ovnRundir,
    String podSubnet,
    List<String> ips) {

  public Node {
    ips = ips == null || ips.isEmpty() ? List.of(ip) : List.copyOf(ips);
  }
}
