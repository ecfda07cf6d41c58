package io.podpath.aggregator.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.podpath.aggregator.connect.AggregatorFinder;
import io.podpath.aggregator.connect.AggregatorLocation;
import io.podpath.aggregator.connect.AggregatorUnreachableException;
import io.podpath.aggregator.connect.KubeClients;
import io.podpath.aggregator.connect.PortForwardTunnel;
import java.util.List;

/**
 * A port-forward to the in-cluster aggregator (found by {@link AggregatorFinder}) made with the
 * user's kubeconfig. A class of its own so that a run with {@code --aggregator} loads no fabric8
 * class at all (the JVM resolves the exception types a method catches when it links the class).
 */
record PortForwardTarget(String target, String where) {
  /** Opens the tunnel; the client and the tunnel are added to {@code resources} to close. */
  static PortForwardTarget open(GlobalOptions g, List<AutoCloseable> resources) {
    KubernetesClient client;
    try {
      client = KubeClients.forUser(g.kubeconfig(), g.context());
    } catch (AggregatorUnreachableException e) {
      throw new CliFailure(ExitCodes.UNREACHABLE, e.getMessage(), e);
    }
    resources.add(client);
    try {
      AggregatorLocation location =
          AggregatorFinder.find(client, g.aggregatorNamespace(), g.aggregatorService());
      PortForwardTunnel tunnel = PortForwardTunnel.open(client, location);
      resources.add(tunnel);
      return new PortForwardTarget(
          tunnel.target(), "pod " + location.namespace() + "/" + tunnel.pod() + " (port-forward)");
    } catch (AggregatorUnreachableException e) {
      AggregatorConnection.closeAll(resources);
      throw new CliFailure(ExitCodes.UNREACHABLE, e.getMessage(), e);
    } catch (KubernetesClientException e) {
      AggregatorConnection.closeAll(resources);
      throw new CliFailure(ExitCodes.UNREACHABLE, KubeErrors.explain(e, client), e);
    }
  }
}
