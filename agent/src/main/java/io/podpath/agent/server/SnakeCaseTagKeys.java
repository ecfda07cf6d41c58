package io.podpath.agent.server;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.MeterFilter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Prometheus label names are snake_case by convention (promtool's linter insists); Micrometer's
 * gRPC interceptors tag with camelCase keys ({@code methodType}, {@code statusCode}). Renaming the
 * keys here keeps every series the agent exposes lint-clean without touching the binders.
 */
final class SnakeCaseTagKeys implements MeterFilter {
  private static final Pattern HUMP = Pattern.compile("([a-z0-9])([A-Z])");

  @Override
  public Meter.Id map(Meter.Id id) {
    List<Tag> tags = id.getTags();
    if (tags.stream().noneMatch(t -> HUMP.matcher(t.getKey()).find())) {
      return id;
    }
    List<Tag> renamed = new ArrayList<>(tags.size());
    for (Tag t : tags) {
      renamed.add(Tag.of(snake(t.getKey()), t.getValue()));
    }
    return id.replaceTags(renamed);
  }

  static String snake(String key) {
    return HUMP.matcher(key).replaceAll("$1_$2").toLowerCase(Locale.ROOT);
  }
}
