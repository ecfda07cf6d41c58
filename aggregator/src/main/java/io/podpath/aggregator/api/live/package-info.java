/**
 * Live traces: which capture points a request watches, the rate and cluster limits it is held to,
 * and how the agents' observations become verdicts.
 *
 * <p>Null-marked: NullAway checks it in every build.
 */
@NullMarked
package io.podpath.aggregator.api.live;

import org.jspecify.annotations.NullMarked;
