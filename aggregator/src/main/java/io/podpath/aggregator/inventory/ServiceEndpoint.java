package io.podpath.aggregator.inventory;

import java.util.List;
import java.util.Optional;

/** One address of an EndpointSlice, flattened: the Service it belongs to and its ports. */
public record ServiceEndpoint(
    ObjectRef service,
    String ip,
    Optional<ObjectRef> pod,
    String node,
    boolean ready,
    List<Port> ports) {
  public ServiceEndpoint {
    ports = List.copyOf(ports);
  }

  /** An EndpointSlice port: {@code name} matches the Service port's name. */
  public record Port(String name, String protocol, int port) {}
}
