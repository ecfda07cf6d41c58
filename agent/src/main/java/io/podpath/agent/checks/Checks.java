package io.podpath.agent.checks;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** The node's checks by id; runs them, times them and records their status as metrics. */
public final class Checks {
  static final int INFO_MAX = 160;
  private final Map<String, Check> byId = new LinkedHashMap<>();
  private final MeterRegistry registry;
  private final Map<String, AtomicInteger> statusGauges = new ConcurrentHashMap<>();
  private final Map<String, Gauge> infoGauges = new ConcurrentHashMap<>();

  public Checks(List<Check> checks, MeterRegistry registry) {
    for (Check c : checks) {
      byId.put(c.id(), c);
    }
    this.registry = registry;
  }

  /** Every check, in a stable order (cheap local reads first, the DNS round trip last). */
  public static List<Check> standard() {
    return List.of(
        new IpForwardCheck(),
        new ConntrackCheck(),
        new MtuCheck(),
        new OvsCheck(Set.of("br-int")),
        new TunnelsCheck(),
        new PodPlumbingCheck(),
        new RoutesCheck(),
        new ServiceProgrammingCheck(),
        new NicCheck(),
        new DnsCheck());
  }

  public Set<String> ids() {
    return byId.keySet();
  }

  /** Runs the named checks (all when empty); a check that throws is reported UNKNOWN. */
  public List<CheckResult> run(List<String> ids, CheckContext ctx) throws UnknownCheckException {
    List<Check> selected = new ArrayList<>();
    for (String id : ids) {
      Check c = byId.get(id);
      if (c == null) {
        throw new UnknownCheckException(id, byId.keySet());
      }
      selected.add(c);
    }
    if (selected.isEmpty()) {
      selected.addAll(byId.values());
    }
    List<CheckResult> out = new ArrayList<>();
    for (Check c : selected) {
      long start = System.nanoTime();
      CheckResult r;
      try {
        r = c.run(ctx);
      } catch (RuntimeException e) {
        r = new CheckResult(c.id(), CheckStatus.UNKNOWN, "check failed: " + e, List.of(), "");
      }
      r = r.withDuration(Duration.ofNanos(System.nanoTime() - start));
      record(r);
      out.add(r);
    }
    return out;
  }

  /**
   * {@code podpath.check.duration} (timer) and {@code podpath.check.status} (1 for the current
   * status of each check, 0 for the others): tags check and status only, both bounded. Public for
   * the fleet simulator (module bench), which records results recorded on a real node.
   */
  public void record(CheckResult r) {
    Timer.builder("podpath.check.duration")
        .description("Time one node check took")
        .tag("check", r.id())
        .register(registry)
        .record(r.duration());
    for (CheckStatus s : CheckStatus.values()) {
      String key = r.id() + "/" + s;
      statusGauges
          .computeIfAbsent(
              key,
              k -> {
                AtomicInteger v = new AtomicInteger();
                Gauge.builder("podpath.check.status", v, AtomicInteger::get)
                    .description("1 for the check's current status on this node, 0 for others")
                    .tags("check", r.id(), "status", s.name().toLowerCase(Locale.ROOT))
                    .strongReference(true)
                    .register(registry);
                return v;
              })
          .set(s == r.status() ? 1 : 0);
    }
    // The summary beside the status, one series per check (the old one goes when it changes), so
    // an alert fed by the agent's own schedule can say why without a sweep.
    String status = r.status().name().toLowerCase(Locale.ROOT);
    String summary = infoText(r.summary());
    infoGauges.compute(
        r.id(),
        (id, old) -> {
          if (old != null
              && status.equals(old.getId().getTag("status"))
              && summary.equals(old.getId().getTag("summary"))) {
            return old;
          }
          if (old != null) {
            registry.remove(old);
          }
          return Gauge.builder("podpath.check.info", () -> 1)
              .description("1, labelled with the check's current status and summary on this node")
              .tags("check", id, "status", status, "summary", summary)
              .register(registry);
        });
  }

  /** One line of at most {@value #INFO_MAX} characters: a label value, not a report. */
  static String infoText(String summary) {
    String one = summary == null ? "" : summary.replaceAll("\\p{Cntrl}+", " ").strip();
    return one.length() <= INFO_MAX ? one : one.substring(0, INFO_MAX - 1) + "…";
  }
}
