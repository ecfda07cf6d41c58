/**
 * The {@code podpath} command line: picocli commands and options, the connection to the aggregator,
 * and exit codes.
 *
 * <p>Null-marked: NullAway checks it in every build.
 */
@NullMarked
package io.podpath.aggregator.cli;

import org.jspecify.annotations.NullMarked;
