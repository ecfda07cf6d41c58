/**
 * Trace, sweep and inspect answers as text, JSON, DOT and SVG.
 *
 * <p>Null-marked: NullAway checks it in every build.
 */
@NullMarked
package io.podpath.aggregator.render;

import org.jspecify.annotations.NullMarked;
