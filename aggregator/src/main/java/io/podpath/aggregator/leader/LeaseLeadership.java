package io.podpath.aggregator.leader;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.podpath.common.Dns1123;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leader election through a Kubernetes Lease, so that with several aggregator replicas only one
 * runs the periodic sweeps and sends alerts (every replica still serves traces). Losing the lease
 * stops the leader's work at once; the elector then keeps competing for it again.
 */
public final class LeaseLeadership implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LeaseLeadership.class);

  /** {@code NAMESPACE/NAME} of the Lease, as given to {@code --leader-elect-lease}. */
  public record LeaseRef(String namespace, String name) {
    public static LeaseRef parse(String flag, String value) {
      String[] parts = value == null ? new String[0] : value.split("/", -1);
      if (parts.length != 2 || !Dns1123.isSubdomain(parts[0]) || !Dns1123.isSubdomain(parts[1])) {
        throw new IllegalArgumentException(
            flag + ": expected NAMESPACE/NAME (DNS-1123 names), got '" + value + "'");
      }
      return new LeaseRef(parts[0], parts[1]);
    }
  }

  /** Timings of the election; the defaults are those of Kubernetes' own controllers. */
  public record Timings(Duration leaseDuration, Duration renewDeadline, Duration retryPeriod) {
    public static final Timings DEFAULT =
        new Timings(Duration.ofSeconds(15), Duration.ofSeconds(10), Duration.ofSeconds(2));
  }

  /** What to do on gaining and on losing the lease. */
  public interface Work {
    void startLeading();

    void stopLeading();
  }

  private final KubernetesClient client;
  private final LeaseRef lease;
  private final String identity;
  private final Timings timings;
  private final Work work;
  private final AtomicBoolean leading = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicReference<CompletableFuture<?>> running = new AtomicReference<>();

  public LeaseLeadership(
      KubernetesClient client, LeaseRef lease, String identity, Timings timings, Work work) {
    this.client = Objects.requireNonNull(client);
    this.lease = Objects.requireNonNull(lease);
    this.identity = Objects.requireNonNull(identity);
    this.timings = Objects.requireNonNull(timings);
    this.work = Objects.requireNonNull(work);
  }

  public LeaseLeadership start() {
    compete();
    return this;
  }

  public boolean isLeader() {
    return leading.get();
  }

  private void compete() {
    if (closed.get()) {
      return;
    }
    LeaderCallbacks callbacks =
        new LeaderCallbacks(this::gained, this::lost, leader -> LOG.info("leader is {}", leader));
    CompletableFuture<?> f =
        client
            .leaderElector()
            .withConfig(
                new LeaderElectionConfigBuilder()
                    .withName(lease.name())
                    .withLock(new LeaseLock(lease.namespace(), lease.name(), identity))
                    .withLeaseDuration(timings.leaseDuration())
                    .withRenewDeadline(timings.renewDeadline())
                    .withRetryPeriod(timings.retryPeriod())
                    .withReleaseOnCancel(true)
                    .withLeaderCallbacks(callbacks)
                    .build())
            .build()
            .start();
    running.set(f);
    // The elector ends when the lease is lost (or on an API error): compete again.
    var unused =
        f.whenComplete(
            (ok, error) -> {
              if (error != null && !closed.get()) {
                LOG.warn(
                    "leader election on {}/{}: {}",
                    lease.namespace(),
                    lease.name(),
                    error.toString());
              }
              if (!closed.get()) {
                compete();
              }
            });
  }

  private void gained() {
    if (leading.compareAndSet(false, true)) {
      LOG.info("{} now leads through Lease {}/{}", identity, lease.namespace(), lease.name());
      work.startLeading();
    }
  }

  private void lost() {
    if (leading.compareAndSet(true, false)) {
      LOG.info("{} lost Lease {}/{}", identity, lease.namespace(), lease.name());
      work.stopLeading();
    }
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      CompletableFuture<?> f = running.get();
      if (f != null) {
        f.cancel(true);
      }
      lost();
    }
  }
}
