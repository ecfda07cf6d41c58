package io.podpath.aggregator.connect;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * A client acting as the user: their kubeconfig (or KUBECONFIG / ~/.kube/config), their context.
 */
public final class KubeClients {
  private KubeClients() {}

  public static KubernetesClient forUser(Optional<Path> kubeconfig, Optional<String> context) {
    Config config = config(kubeconfig, context, System.getenv());
    // An interactive command: fail in about a second when the API server is down, instead of
    // fabric8's default 10 retries with doubling backoff (measured: 19 s before the first word).
    config.setRequestRetryBackoffLimit(2);
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  /**
   * The kubeconfig context's namespace, as kubectl would use it for a name without one; {@code
   * default} when the context names none or there is no kubeconfig at all.
   */
  public static String namespace(Optional<Path> kubeconfig, Optional<String> context) {
    try {
      String ns = config(kubeconfig, context, System.getenv()).getNamespace();
      return ns == null || ns.isBlank() ? "default" : ns;
    } catch (AggregatorUnreachableException e) {
      return "default";
    }
  }

  static Config config(
      Optional<Path> kubeconfig, Optional<String> context, Map<String, String> env) {
    if (kubeconfig.isPresent()) {
      Path file = kubeconfig.get();
      if (!Files.isReadable(file)) {
        throw new AggregatorUnreachableException(
            AggregatorUnreachableException.Reason.NO_KUBECONFIG,
            "cannot read kubeconfig "
                + file
                + ": give a readable --kubeconfig FILE, or --aggregator HOST:PORT");
      }
      return Config.fromKubeconfig(context.orElse(null), file.toFile());
    }
    if (!anyKubeconfig(env)) {
      // fabric8 would go on to https://kubernetes.default.svc and fail with "Operation: [get] for
      // kind: [Service]…", which names neither the cause nor the fix.
      throw new AggregatorUnreachableException(
          AggregatorUnreachableException.Reason.NO_KUBECONFIG,
          "no kubeconfig: KUBECONFIG is not set, "
              + home(env).resolve(".kube/config")
              + " does not exist and this is not a pod. podpath finds the aggregator through the"
              + " Kubernetes API: give --kubeconfig FILE (or set KUBECONFIG), or reach an"
              + " aggregator directly with --aggregator HOST:PORT");
    }
    return Config.autoConfigure(context.orElse(null));
  }

  static boolean anyKubeconfig(Map<String, String> env) {
    String kc = env.get("KUBECONFIG");
    if (kc != null && !kc.isBlank()) {
      return true;
    }
    if (env.containsKey("KUBERNETES_SERVICE_HOST")) {
      return true; // in-cluster: the pod's service account
    }
    return Files.isRegularFile(home(env).resolve(".kube/config"));
  }

  private static Path home(Map<String, String> env) {
    String h = env.get("HOME");
    return Path.of(h == null || h.isBlank() ? System.getProperty("user.home") : h);
  }
}
