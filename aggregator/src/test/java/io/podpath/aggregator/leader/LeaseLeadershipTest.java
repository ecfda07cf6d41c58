package io.podpath.aggregator.leader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class LeaseLeadershipTest {
  @SuppressWarnings("NullAway.Init") // injected by @EnableKubernetesMockClient
  static KubernetesClient client;

  private static final LeaseLeadership.Timings FAST =
      new LeaseLeadership.Timings(
          Duration.ofMillis(1500), Duration.ofMillis(1000), Duration.ofMillis(200));

  /** Counts how often it started and stopped leading. */
  static final class Counting implements LeaseLeadership.Work {
    final AtomicInteger started = new AtomicInteger();
    final AtomicInteger stopped = new AtomicInteger();

    @Override
    public void startLeading() {
      started.incrementAndGet();
    }

    @Override
    public void stopLeading() {
      stopped.incrementAndGet();
    }
  }

  @Test
  void exactlyOneReplicaLeadsAndTheOtherTakesOverWhenItGoes() throws Exception {
    LeaseLeadership.LeaseRef ref = new LeaseLeadership.LeaseRef("podpath", "podpath-aggregator");
    Counting a = new Counting();
    Counting b = new Counting();
    LeaseLeadership la = new LeaseLeadership(client, ref, "replica-a", FAST, a).start();
    await(la::isLeader, "replica-a leads first");
    LeaseLeadership lb = new LeaseLeadership(client, ref, "replica-b", FAST, b).start();
    try {
      Thread.sleep(1000);
      assertThat(lb.isLeader()).as("a second replica waits while the lease is held").isFalse();
      assertThat(b.started).hasValue(0);
      Lease lease = client.leases().inNamespace("podpath").withName("podpath-aggregator").get();
      assertThat(lease.getSpec().getHolderIdentity()).isEqualTo("replica-a");

      la.close();
      assertThat(a.stopped).as("the leaving leader stops its work").hasValue(1);
      await(lb::isLeader, "replica-b takes over once replica-a released the lease");
      assertThat(b.started).hasValue(1);
      assertThat(
              client
                  .leases()
                  .inNamespace("podpath")
                  .withName("podpath-aggregator")
                  .get()
                  .getSpec()
                  .getHolderIdentity())
          .isEqualTo("replica-b");
    } finally {
      la.close();
      lb.close();
    }
  }

  @Test
  void leaseFlagMustBeNamespaceSlashName() {
    assertThat(LeaseLeadership.LeaseRef.parse("--leader-elect-lease", "ns/name"))
        .isEqualTo(new LeaseLeadership.LeaseRef("ns", "name"));
    for (String bad : new String[] {"", "name", "a/b/c", "/x", "x/", "NS/x", "a b/c", "../x"}) {
      assertThatThrownBy(() -> LeaseLeadership.LeaseRef.parse("--leader-elect-lease", bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("--leader-elect-lease");
    }
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting: " + what);
      }
      Thread.sleep(50);
    }
  }
}
