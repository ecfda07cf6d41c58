package io.podpath.aggregator.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import io.podpath.aggregator.inventory.ObjectRef;
import io.podpath.aggregator.inventory.ServiceEndpoint;
import io.podpath.aggregator.inventory.ServiceInfo;
import io.podpath.aggregator.model.ClusterContext;
import io.podpath.aggregator.model.IpProtocol;
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
    List<ClusterContext.Backend> b =
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
            new ClusterContext.Backend(IpProtocol.TCP, 80, "10.244.1.3", 8080),
            new ClusterContext.Backend(IpProtocol.UDP, 53, "10.244.1.3", 53));
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
        .extracting(ClusterContext.Backend::ip, ClusterContext.Backend::port)
        .containsExactly(Tuple.tuple("10.244.1.3", 8080), Tuple.tuple("10.244.1.4", 80));
  }
}
