/** Null-marked: NullAway checks this package in every build. */
@NullMarked
package io.podpath.agent.trace;

import org.jspecify.annotations.NullMarked;
