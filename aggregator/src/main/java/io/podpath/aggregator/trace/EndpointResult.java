package io.podpath.aggregator.trace;

import io.podpath.aggregator.inventory.ObjectRef;
import java.util.Optional;

/** Both directions for one destination endpoint; {@code reply} is empty when not asked for. */
public record EndpointResult(
    String label,
    Optional<ObjectRef> pod,
    String ip,
    int port,
    DirectionResult forward,
    Optional<DirectionResult> reply) {}
