package io.podpath.aggregator.inventory;

import java.util.List;
import java.util.Optional;

/** A Service's virtual IPs and ports. */
public record ServiceInfo(ObjectRef ref, String type, List<String> clusterIps, List<Port> ports) {
  public ServiceInfo {
    clusterIps = List.copyOf(clusterIps);
    ports = List.copyOf(ports);
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
