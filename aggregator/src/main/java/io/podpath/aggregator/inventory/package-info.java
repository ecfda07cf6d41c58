/**
 * The cluster as the aggregator sees it: nodes, pods, services and policies, from the Kubernetes
 * API (fabric8) or a manifest file, indexed for lookups by name and address.
 *
 * <p>Null-marked: NullAway checks it in every build.
 */
@NullMarked
package io.podpath.aggregator.inventory;

import org.jspecify.annotations.NullMarked;
