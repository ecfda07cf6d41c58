package io.podpath.aggregator.api.live;

import com.google.common.base.Ticker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.podpath.aggregator.api.InvalidRequestException;
import io.podpath.aggregator.inventory.ClusterIndex;
import io.podpath.proto.v1.Endpoint;
import io.podpath.proto.v1.LiveTrace;
import io.podpath.proto.v1.TraceRequest;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * What this aggregator lets a live trace do, decided before the model runs: where the real packet
 * may go (inside the cluster unless the caller says {@code allow_external}) and how often (a {@link
 * LiveRate}; none at all when live traces are turned off). Counts every live trace in {@code
 * podpath_live_traces_total{outcome}}.
 */
public final class LiveGate {
  private final Optional<LiveRate> rate;
  private final MeterRegistry registry;

  /** Live traces a minute unless {@code podpath serve --live-per-minute} says otherwise. */
  public static final int DEFAULT_PER_MINUTE = 30;

  /** {@code DEFAULT_PER_MINUTE}, in bursts of {@link LiveRate#defaultBurst}. */
  public static LiveGate defaults(MeterRegistry registry) {
    return perMinute(DEFAULT_PER_MINUTE, registry);
  }

  /** {@code perMinute} live traces a minute; 0 turns them off. */
  public static LiveGate perMinute(int perMinute, MeterRegistry registry) {
    return new LiveGate(
        perMinute == 0
            ? Optional.empty()
            : Optional.of(
                new LiveRate(perMinute, LiveRate.defaultBurst(perMinute), Ticker.systemTicker())),
        registry);
  }

  /** {@code rate} empty: live traces are turned off on this aggregator. */
  public LiveGate(Optional<LiveRate> rate, MeterRegistry registry) {
    this.rate = rate;
    this.registry = registry;
  }

  /**
   * Refuses {@code r} when it may not run: {@link InvalidRequestException} for a destination
   * outside the cluster without allow_external, {@link LiveRefusedException} when over the rate or
   * off. A request that is not live passes (allow_external without live is an error).
   */
  public void admit(TraceRequest r, ClusterIndex cluster) {
    if (!r.getLive()) {
      if (r.getAllowExternal()) {
        throw new InvalidRequestException("allow_external", "applies with live only");
      }
      return;
    }
    Endpoint dst = r.getDestination();
    if (dst.getKindCase() == Endpoint.KindCase.IP && !r.getAllowExternal()) {
      Optional<String> why = ClusterScope.outside(cluster, dst.getIp());
      if (why.isPresent()) {
        count("refused_external");
        throw new InvalidRequestException(
            "live",
            why.get()
                + ". A live trace sends a real packet; to send it outside the cluster add"
                + " --allow-external (the source's agent must also allow the address:"
                + " podpath-agent --probe-allow CIDR)");
      }
    }
    if (rate.isEmpty()) {
      count("refused_off");
      throw new LiveRefusedException(
          "live traces are turned off on this aggregator (podpath serve --live-per-minute 0)",
          Optional.empty());
    }
    Optional<Duration> wait = rate.get().tryAcquire();
    if (wait.isPresent()) {
      count("rate_limited");
      long seconds = Math.max(1, (wait.get().toMillis() + 999) / 1000);
      throw new LiveRefusedException(
          "this aggregator starts at most "
              + rate.get().perMinute()
              + " live traces a minute (podpath serve --live-per-minute); the next may start in "
              + seconds
              + " s",
          wait);
    }
  }

  /**
   * Counts a live trace that ran: {@code model_disagrees} when the packet and the model part, else
   * its live verdict ({@code delivered}, {@code dropped}, {@code inconclusive}, ...).
   */
  public void ran(LiveTrace live) {
    count(
        live.getDisagrees()
            ? "model_disagrees"
            : live.getLiveVerdict().name().replace("VERDICT_", "").toLowerCase(Locale.ROOT));
  }

  /** Counts a live trace that was admitted but ended in an error ({@code error}). */
  public void failed() {
    count("error");
  }

  private void count(String outcome) {
    Counter.builder("podpath.live.traces")
        .description("Live traces by outcome, refused ones included")
        .tag("outcome", outcome)
        .register(registry)
        .increment();
  }
}
