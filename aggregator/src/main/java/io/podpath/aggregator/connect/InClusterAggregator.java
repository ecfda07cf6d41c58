package io.podpath.aggregator.connect;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What the CLI calls when no --aggregator address is given: a port-forward, made as the user, to
 * the aggregator installed by charts/podpath. Closing it closes the tunnel and the API client.
 *
 * <pre>{@code
 * try (InClusterAggregator a = InClusterAggregator.open(kubeconfig, context,
 *     AggregatorLocation.of(namespace, service))) {
 *   ManagedChannel ch = Grpc.newChannelBuilder(a.target(), InsecureChannelCredentials.create())...
 * }
 * }</pre>
 */
public final class InClusterAggregator implements AutoCloseable {
  private final KubernetesClient client;
  private final PortForwardTunnel tunnel;

  private InClusterAggregator(KubernetesClient client, PortForwardTunnel tunnel) {
    this.client = client;
    this.tunnel = tunnel;
  }

  /** Throws {@link AggregatorUnreachableException} with a message meant for the user. */
  public static InClusterAggregator open(
      Optional<Path> kubeconfig, Optional<String> context, AggregatorLocation where) {
    KubernetesClient client = KubeClients.forUser(kubeconfig, context);
    try {
      return new InClusterAggregator(client, PortForwardTunnel.open(client, where));
    } catch (RuntimeException e) {
      client.close();
      throw e;
    }
  }

  /** {@code 127.0.0.1:<port>}: plaintext gRPC through the API server's TLS tunnel. */
  public String target() {
    return tunnel.target();
  }

  public String pod() {
    return tunnel.pod();
  }

  @Override
  public void close() {
    tunnel.close();
    client.close();
  }
}
