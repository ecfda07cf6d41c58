package io.podpath.aggregator.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;

/** A Kubernetes API failure while looking for the aggregator, in words with the next step. */
final class KubeErrors {
  private KubeErrors() {}

  static String explain(KubernetesClientException e, KubernetesClient client) {
    String api = "the Kubernetes API server " + client.getMasterUrl();
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    if (root instanceof UnknownHostException) {
      return "cannot resolve "
          + api
          + ": check the kubeconfig's cluster server (or --context), or give --aggregator"
          + " HOST:PORT";
    }
    if (root instanceof ConnectException || root instanceof HttpTimeoutException) {
      return "cannot connect to "
          + api
          + ": is the cluster up and the kubeconfig's server right? (kubectl cluster-info)";
    }
    if (e.getCode() == 401) {
      return api + " did not accept your credentials: log in again (kubectl get nodes shows it)";
    }
    if (e.getCode() == 403) {
      return api
          + " forbids what podpath needs (get services, list pods, create pods/portforward in"
          + " the aggregator's namespace): ask for a RoleBinding to the chart's -user Role";
    }
    String status =
        e.getStatus() != null && e.getStatus().getMessage() != null
            ? e.getStatus().getMessage()
            : root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    return api + " failed: " + status + ". Check it with 'kubectl get pods -n podpath'";
  }
}
