/**
 * Small shared helpers: IP literals without DNS, and how values are shown in messages.
 *
 * <p>Null-marked: NullAway checks it in every build.
 */
@NullMarked
package io.podpath.aggregator.util;

import org.jspecify.annotations.NullMarked;
