package io.podpath.aggregator.inventory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiFunction;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live cluster through fabric8 informers on Pods, Services, EndpointSlices, Nodes and
 * NetworkPolicies. Every change marks the index stale; the next read rebuilds it from the
 * informers' stores through the same {@link ObjectMapping} the snapshot uses.
 */
public final class Fabric8Inventory implements Inventory, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Fabric8Inventory.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long RESYNC_MILLIS = 10 * 60 * 1000L;

  private final KubernetesClient client;
  private final List<SharedIndexInformer<?>> informers = new ArrayList<>();
  private final AtomicBoolean stale = new AtomicBoolean(true);
  private @Nullable SharedIndexInformer<?> pods;
  private @Nullable SharedIndexInformer<?> services;
  private @Nullable SharedIndexInformer<?> slices;
  private @Nullable SharedIndexInformer<?> nodes;
  private @Nullable SharedIndexInformer<?> policies;
  private volatile ClusterIndex index = ClusterIndex.empty();

  public Fabric8Inventory(KubernetesClient client) {
    this.client = client;
  }

  /** Starts the informers; returns at once (see {@link #synced()}). */
  public Fabric8Inventory start() {
    ResourceEventHandler<Object> mark = new MarkStale();
    pods = add(client.pods().inAnyNamespace().inform(mark, RESYNC_MILLIS));
    services = add(client.services().inAnyNamespace().inform(mark, RESYNC_MILLIS));
    slices =
        add(client.discovery().v1().endpointSlices().inAnyNamespace().inform(mark, RESYNC_MILLIS));
    nodes = add(client.nodes().inform(mark, RESYNC_MILLIS));
    policies =
        add(client.network().v1().networkPolicies().inAnyNamespace().inform(mark, RESYNC_MILLIS));
    return this;
  }

  private SharedIndexInformer<?> add(SharedIndexInformer<?> informer) {
    informers.add(informer);
    return informer;
  }

  @Override
  public boolean synced() {
    return !informers.isEmpty() && informers.stream().allMatch(SharedIndexInformer::hasSynced);
  }

  @Override
  public String description() {
    return "kubernetes " + client.getMasterUrl();
  }

  @Override
  public ClusterIndex current() {
    if (stale.getAndSet(false)) {
      index = rebuild();
    }
    return index;
  }

  private ClusterIndex rebuild() {
    List<PodInfo> p = map(pods, "Pod", ObjectMapping::pod);
    List<ServiceInfo> s = map(services, "Service", ObjectMapping::service);
    List<ServiceEndpoint> e = new ArrayList<>();
    map(slices, "EndpointSlice", ObjectMapping::endpointSlice).forEach(e::addAll);
    List<NodeInfo> n = map(nodes, "Node", ObjectMapping::node);
    List<PolicyInfo> np = map(policies, "NetworkPolicy", ObjectMapping::networkPolicy);
    return new ClusterIndex(p, s, e, n, np);
  }

  private <T> List<T> map(
      @Nullable SharedIndexInformer<?> informer,
      String kind,
      BiFunction<String, JsonNode, T> mapper) {
    if (informer == null) {
      throw new IllegalStateException("Fabric8Inventory.start() must run before current()");
    }
    List<T> out = new ArrayList<>();
    for (Object o : informer.getStore().list()) {
      try {
        JsonNode tree = JSON.readTree(client.getKubernetesSerialization().asJson(o));
        out.add(mapper.apply(kind, tree));
      } catch (ManifestException | JsonProcessingException e) {
        // One odd object must not hide the rest of the cluster.
        LOG.warn("ignoring {}: {}", kind, e.getMessage());
      }
    }
    return out;
  }

  @Override
  public void close() {
    informers.forEach(SharedIndexInformer::close);
  }

  private final class MarkStale implements ResourceEventHandler<Object> {
    @Override
    public void onAdd(Object obj) {
      stale.set(true);
    }

    @Override
    public void onUpdate(Object oldObj, Object newObj) {
      stale.set(true);
    }

    @Override
    public void onDelete(Object obj, boolean deletedFinalStateUnknown) {
      stale.set(true);
    }
  }
}
