/**
 * What one node's agent is asked and what it answers, in the aggregator's own terms: the trace's
 * calls ({@code NodeQuery}, {@code NodeAnswer}) and the sweep's ({@code ChecksRequest}, {@code
 * NodeChecks}, {@code PodPing}, {@code NodeReading}). The planner ({@code trace}) and the sweep
 * reason on these records; {@code agents} maps them to and from the wire.
 *
 * <p>Null-marked: NullAway checks it in every build (absent values are {@code Optional}s).
 */
@NullMarked
package io.podpath.aggregator.model;

import org.jspecify.annotations.NullMarked;
