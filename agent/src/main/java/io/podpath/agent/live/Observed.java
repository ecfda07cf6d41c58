package io.podpath.agent.live;

import java.util.List;
import java.util.Optional;

/**
 * What a closed capture saw: the sightings in order, whether more matched than were kept, and why
 * it stopped early when it did (a read error).
 */
public record Observed(List<Sighting> sightings, boolean truncated, Optional<String> error) {
  public Observed {
    sightings = List.copyOf(sightings);
  }
}
