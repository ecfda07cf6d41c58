/** Null-marked: NullAway checks this package in every build. */
@NullMarked
package io.podpath.agent.ovn;

import org.jspecify.annotations.NullMarked;
