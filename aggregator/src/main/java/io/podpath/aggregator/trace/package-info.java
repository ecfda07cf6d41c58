/**
 * The trace planner and stitcher: resolves the ends, asks each node's agent through the {@code
 * agents} port and stitches the nodes' answers into one verdict per direction. Pure: no I/O.
 *
 * <p>Null-marked: NullAway checks it in every build.
 */
@NullMarked
package io.podpath.aggregator.trace;

import org.jspecify.annotations.NullMarked;
