/**
 * How the CLI reaches the aggregator: finding its in-cluster Service, choosing a ready pod and
 * port-forwarding to it.
 *
 * <p>Null-marked: NullAway checks it in every build.
 */
@NullMarked
package io.podpath.aggregator.connect;

import org.jspecify.annotations.NullMarked;
