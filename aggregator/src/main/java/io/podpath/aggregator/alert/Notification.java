package io.podpath.aggregator.alert;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One alert transition to deliver. {@code endsAt} is null while firing. {@code id} is stable for
 * the transition, so a sink that retries can deliver it idempotently.
 */
public record Notification(
    String id,
    Kind kind,
    AlertKey key,
    String severity,
    String summary,
    String remediation,
    Instant startsAt,
    @Nullable Instant endsAt) {

  public enum Kind {
    FIRING,
    RESOLVED
  }

  public static final String ALERT_NAME = "PodpathCheckFailing";
}
