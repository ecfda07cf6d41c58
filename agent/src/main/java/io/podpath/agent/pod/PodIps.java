package io.podpath.agent.pod;

import com.google.common.net.InetAddresses;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The local pods' IPs as the aggregator last sent them (a RunChecks request's local pods): how
 * pod-scoped work finds the namespace of a pod whose CNI writes no pod name into OVSDB (OpenShift
 * SDN, ACI). Replaced whole by every request, so it holds only pods the cluster says are here.
 */
public final class PodIps {
  private volatile Map<PodKey, InetAddress> byPod = Map.of();

  /** One local pod and the IPs the Kubernetes API gives it (unparsable ones are skipped). */
  public record Entry(PodKey pod, List<String> ips) {}

  public void replace(List<Entry> pods) {
    Map<PodKey, InetAddress> next = new HashMap<>();
    for (Entry e : pods) {
      e.ips().stream()
          .filter(InetAddresses::isInetAddress)
          .findFirst()
          .ifPresent(ip -> next.put(e.pod(), InetAddresses.forString(ip)));
    }
    byPod = Map.copyOf(next);
  }

  public Optional<InetAddress> of(PodKey pod) {
    return Optional.ofNullable(byPod.get(pod));
  }
}
