package io.podpath.aggregator.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import io.podpath.aggregator.inventory.SnapshotInventory;
import io.podpath.aggregator.model.ClusterContext;
import java.nio.file.Files;
import java.nio.file.Path;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Service's NodePorts reach the node's context (service-programming checks them), read from the
 * sandbox manifest as hack/sandbox nodeport on writes it.
 */
class ClusterContextsNodePortTest {
  @Test
  void nodePortsOfTheManifestReachEveryNodesContext(@TempDir Path dir) throws Exception {
    String yaml =
        Files.readString(Path.of("src/test/resources/fixtures/inventory/sandbox-cluster.yaml"));
    String np =
        yaml.replace(
                "    type: ClusterIP\n    clusterIP: \"10.96.0.10\"",
                "    type: NodePort\n" + "    clusterIP: \"10.96.0.10\"")
            .replace(
                "      port: 80\n      targetPort: 80\n",
                "      port: 80\n      targetPort: 80\n      nodePort: 30080\n");
    assertThat(np).contains("nodePort: 30080");
    Path file = dir.resolve("cluster.yaml");
    Files.writeString(file, np);
    ClusterContext c =
        new ClusterContexts(ClusterContexts.DEFAULT_DNS_SERVICES)
            .forSweep(SnapshotInventory.load(file).current())
            .forNode("node1", new ClusterContext.PeerSet(0, "", ""));
    assertThat(c.shared().services())
        .filteredOn(s -> s.name().equals("web"))
        .singleElement()
        .satisfies(
            s ->
                assertThat(s.ports())
                    .extracting(ClusterContext.Port::port, ClusterContext.Port::nodePort)
                    .containsExactly(Tuple.tuple(80, 30080), Tuple.tuple(53, 0)));
  }
}
