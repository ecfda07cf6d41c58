/**
 * The sweep: RunChecks on every node with bounded concurrency, then the checks that need several
 * nodes (tunnel mesh, MTU consistency, the active MTU probe), on {@code model} records; its result
 * is a {@code SweepReport}, mapped to the wire by {@code api}.
 *
 * <p>Null-marked: NullAway checks it in every build.
 */
@NullMarked
package io.podpath.aggregator.sweep;

import org.jspecify.annotations.NullMarked;
