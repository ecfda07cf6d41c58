package io.podpath.aggregator.alert;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Per (node, check): inactive → pending (bad, fewer than N consecutive bad sweeps) → firing (N
 * reached; one FIRING notification) → resolved (the first good sweep after firing; one RESOLVED
 * notification) → inactive. A pending alert that heals vanishes without a word. Pure: no I/O, no
 * clock; the state is a value that {@link AlertStateFile} persists, so a restart neither repeats
 * nor forgets a notification.
 */
public final class AlertEngine {
  public enum Phase {
    PENDING,
    FIRING
  }

  /** The remembered state of one alert. {@code startsAt} is the first bad sweep's time. */
  public record Entry(
      Phase phase,
      int badSweeps,
      Instant startsAt,
      String severity,
      String summary,
      String remediation) {}

  private final int pendingSweeps;
  private final Map<AlertKey, Entry> entries = new TreeMap<>();

  /** {@code pendingSweeps}: consecutive bad sweeps before firing (1 = fire at once). */
  public AlertEngine(int pendingSweeps, Map<AlertKey, Entry> restored) {
    if (pendingSweeps < 1) {
      throw new IllegalArgumentException("pending sweeps must be >= 1");
    }
    this.pendingSweeps = pendingSweeps;
    entries.putAll(restored);
  }

  public synchronized Map<AlertKey, Entry> entries() {
    return Map.copyOf(entries);
  }

  /** Applies one sweep's observations at {@code now}; returns the transitions to deliver. */
  public synchronized List<Notification> observe(List<Observation> sweep, Instant now) {
    List<Notification> out = new ArrayList<>();
    for (Observation o : sweep) {
      Entry e = entries.get(o.key());
      if (o.bad()) {
        Entry next =
            e == null
                ? new Entry(Phase.PENDING, 1, now, o.severity(), o.summary(), o.remediation())
                : new Entry(
                    e.phase(),
                    e.badSweeps() + 1,
                    e.startsAt(),
                    o.severity(),
                    o.summary(),
                    o.remediation());
        if (next.phase() == Phase.PENDING && next.badSweeps() >= pendingSweeps) {
          next =
              new Entry(
                  Phase.FIRING,
                  next.badSweeps(),
                  next.startsAt(),
                  next.severity(),
                  next.summary(),
                  next.remediation());
          out.add(notification(Notification.Kind.FIRING, o.key(), next, null));
        }
        entries.put(o.key(), next);
      } else if (o.good() && e != null) {
        entries.remove(o.key());
        if (e.phase() == Phase.FIRING) {
          out.add(
              notification(
                  Notification.Kind.RESOLVED,
                  o.key(),
                  new Entry(
                      e.phase(),
                      e.badSweeps(),
                      e.startsAt(),
                      e.severity(),
                      o.summary(),
                      e.remediation()),
                  now));
        }
      }
    }
    return out;
  }

  /** The alerts firing now, as FIRING notifications (a sink may re-assert them). */
  public synchronized List<Notification> firing() {
    List<Notification> out = new ArrayList<>();
    entries.forEach(
        (k, e) -> {
          if (e.phase() == Phase.FIRING) {
            out.add(notification(Notification.Kind.FIRING, k, e, null));
          }
        });
    return out;
  }

  private static Notification notification(
      Notification.Kind kind, AlertKey key, Entry e, @Nullable Instant endsAt) {
    String id =
        key.node()
            + "/"
            + key.check()
            + "/"
            + e.startsAt().toEpochMilli()
            + "/"
            + kind.name().toLowerCase(Locale.ROOT);
    return new Notification(
        id, kind, key, e.severity(), e.summary(), e.remediation(), e.startsAt(), endsAt);
  }
}
