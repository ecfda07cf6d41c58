package io.podpath.aggregator.connect;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A client acting as the user: their kubeconfig (or KUBECONFIG / ~/.kube/config), their context.
 */
public final class KubeClients {
  private KubeClients() {}

  public static KubernetesClient forUser(Optional<Path> kubeconfig, Optional<String> context) {
    Config config;
    if (kubeconfig.isPresent()) {
      Path file = kubeconfig.get();
      if (!Files.isReadable(file)) {
        throw new AggregatorUnreachableException(
            AggregatorUnreachableException.Reason.API_ERROR, "cannot read kubeconfig " + file);
      }
      config = Config.fromKubeconfig(context.orElse(null), file.toFile());
    } else {
      config = Config.autoConfigure(context.orElse(null));
    }
    // An interactive command: fail in about a second when the API server is down, instead of
    // fabric8's default 10 retries with doubling backoff (measured: 19 s before the first word).
    config.setRequestRetryBackoffLimit(2);
    return new KubernetesClientBuilder().withConfig(config).build();
  }
}
