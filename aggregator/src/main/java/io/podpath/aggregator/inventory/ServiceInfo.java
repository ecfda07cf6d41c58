package io.podpath.aggregator.inventory;

import java.util.List;
import java.util.Optional;

/**
 * A Service's virtual IPs and ports. {@code externalIps} are the addresses it is reached by from
 * outside besides its NodePorts: spec.externalIPs, then status.loadBalancer.ingress[].ip. {@code
 * externalTrafficLocal}: spec.externalTrafficPolicy is Local (only nodes with a local ready
 * endpoint answer its NodePorts and external addresses, keeping the client's source address).
 */
public record ServiceInfo(
    ObjectRef ref,
    String type,
    List<String> clusterIps,
    List<Port> ports,
    List<String> externalIps,
    boolean externalTrafficLocal) {
  public ServiceInfo {
    clusterIps = List.copyOf(clusterIps);
    ports = List.copyOf(ports);
    externalIps = List.copyOf(externalIps);
  }

  public ServiceInfo(ObjectRef ref, String type, List<String> clusterIps, List<Port> ports) {
    this(ref, type, clusterIps, ports, List.of(), false);
  }

  /**
   * A Service port; {@code targetPort} is a number or a named container port ("" = port); {@code
   * nodePort} is 0 when the port has none.
   */
  public record Port(String name, String protocol, int port, String targetPort, int nodePort) {
    public Port(String name, String protocol, int port, String targetPort) {
      this(name, protocol, port, targetPort, 0);
    }
  }

  public Optional<Port> port(String protocol, int port) {
    return ports.stream()
        .filter(p -> p.protocol().equalsIgnoreCase(protocol) && p.port() == port)
        .findFirst();
  }
}
