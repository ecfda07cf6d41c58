package io.podpath.aggregator.connect;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Finds the in-cluster aggregator's Service wherever charts/podpath was installed: first the name
 * asked for (default {@code podpath/podpath-aggregator}), then any Service carrying the chart's
 * aggregator labels, in the namespace asked for or in every namespace.
 */
public final class AggregatorFinder {
  /** Labels charts/podpath puts on the aggregator's Service (whatever the release is called). */
  public static final Map<String, String> LABELS =
      Map.of("app.kubernetes.io/part-of", "podpath", "app.kubernetes.io/component", "aggregator");

  private AggregatorFinder() {}

  /**
   * The aggregator's Service, by name or by its label.
   *
   * @param namespace {@code --aggregator-namespace}, blank = any
   * @param service {@code --aggregator-service}, blank = any labelled one
   */
  public static AggregatorLocation find(KubernetesClient client, String namespace, String service) {
    AggregatorLocation first = AggregatorLocation.of(namespace, service);
    if (exists(client, first)) {
      return first;
    }
    boolean anyNamespace = blank(namespace);
    List<Service> labelled;
    try {
      labelled =
          (anyNamespace
                  ? client.services().inAnyNamespace().withLabels(LABELS).list()
                  : client.services().inNamespace(namespace.trim()).withLabels(LABELS).list())
              .getItems();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 401 || e.getCode() == 403) {
        throw notFound(first, anyNamespace, " (you may not list Services there)");
      }
      throw e;
    }
    List<AggregatorLocation> found =
        labelled.stream()
            .filter(s -> blank(service) || s.getMetadata().getName().equals(service.trim()))
            .map(
                s ->
                    new AggregatorLocation(
                        s.getMetadata().getNamespace(),
                        s.getMetadata().getName(),
                        AggregatorLocation.DEFAULT_PORT_NAME))
            .sorted(Comparator.comparing(AggregatorLocation::namespace))
            .toList();
    if (found.size() == 1) {
      return found.get(0);
    }
    if (found.isEmpty()) {
      throw notFound(first, anyNamespace, "");
    }
    throw new AggregatorUnreachableException(
        AggregatorUnreachableException.Reason.NO_SERVICE,
        "several podpath aggregators found: "
            + String.join(", ", found.stream().map(l -> l.namespace() + "/" + l.service()).toList())
            + "; choose one with --aggregator-namespace NS (and --aggregator-service NAME)");
  }

  private static boolean exists(KubernetesClient client, AggregatorLocation l) {
    try {
      return client.services().inNamespace(l.namespace()).withName(l.service()).get() != null;
    } catch (KubernetesClientException e) {
      if (e.getCode() == 401 || e.getCode() == 403) {
        return false; // maybe another namespace we may read; the search below says what failed
      }
      throw e;
    }
  }

  private static AggregatorUnreachableException notFound(
      AggregatorLocation first, boolean anyNamespace, String why) {
    return new AggregatorUnreachableException(
        AggregatorUnreachableException.Reason.NO_SERVICE,
        "no podpath aggregator found: no Service "
            + first.namespace()
            + "/"
            + first.service()
            + " and none labelled app.kubernetes.io/part-of=podpath,"
            + "app.kubernetes.io/component=aggregator "
            + (anyNamespace ? "in any namespace" : "in namespace " + first.namespace())
            + why
            + ". Is podpath installed (helm install podpath charts/podpath -n podpath"
            + " --create-namespace)? Name it with --aggregator-namespace NS"
            + " --aggregator-service NAME, or give --aggregator HOST:PORT");
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
