package io.podpath.aggregator.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import io.podpath.aggregator.inventory.ObjectRef;
import io.podpath.aggregator.inventory.ServiceEndpoint;
import io.podpath.aggregator.inventory.ServiceInfo;
import io.podpath.proto.v1.Protocol;
import io.podpath.proto.v1.ServiceBackend;
import java.util.List;
import java.util.Optional;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

class ClusterContextsBackendsTest {
  static final ObjectRef WEB = new ObjectRef("default", "web");

  static ServiceEndpoint ep(String ip, boolean ready, ServiceEndpoint.Port... ports) {
    return new ServiceEndpoint(WEB, ip, Optional.empty(), "node1", ready, List.of(ports));
  }

  @Test
  void readyEndpointsOncePerServicePortMatchedByName() {
    ServiceInfo svc =
        new ServiceInfo(
            WEB,
            "ClusterIP",
            List.of("10.96.0.10"),
            List.of(
                new ServiceInfo.Port("http", "TCP", 80, "8080"),
                new ServiceInfo.Port("dns", "UDP", 53, "53")));
    List<ServiceBackend> b =
        ClusterContexts.readyBackends(
            svc,
            List.of(
                ep(
                    "10.244.1.3",
                    true,
                    new ServiceEndpoint.Port("http", "TCP", 8080),
                    new ServiceEndpoint.Port("dns", "UDP", 53)),
                ep("10.244.2.3", false, new ServiceEndpoint.Port("http", "TCP", 8080))));
    assertThat(b)
        .containsExactly(
            ServiceBackend.newBuilder()
                .setProtocol(Protocol.PROTOCOL_TCP)
                .setServicePort(80)
                .setIp("10.244.1.3")
                .setPort(8080)
                .build(),
            ServiceBackend.newBuilder()
                .setProtocol(Protocol.PROTOCOL_UDP)
                .setServicePort(53)
                .setIp("10.244.1.3")
                .setPort(53)
                .build());
  }

  @Test
  void unnamedSinglePortAndNumericTargetPortWithoutEndpointPorts() {
    ServiceInfo svc =
        new ServiceInfo(
            WEB,
            "ClusterIP",
            List.of("10.96.0.10"),
            List.of(new ServiceInfo.Port("", "TCP", 80, "80")));
    assertThat(
            ClusterContexts.readyBackends(
                svc,
                List.of(
                    ep("10.244.1.3", true, new ServiceEndpoint.Port("", "TCP", 8080)),
                    ep("10.244.1.4", true))))
        .extracting(ServiceBackend::getIp, ServiceBackend::getPort)
        .containsExactly(Tuple.tuple("10.244.1.3", 8080), Tuple.tuple("10.244.1.4", 80));
  }
}
