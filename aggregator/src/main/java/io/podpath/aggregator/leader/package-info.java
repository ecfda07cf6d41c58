/**
 * Leader election through a Kubernetes Lease, so only one aggregator replica runs sweeps and
 * alerts.
 *
 * <p>Null-marked: NullAway checks it in every build.
 */
@NullMarked
package io.podpath.aggregator.leader;

import org.jspecify.annotations.NullMarked;
