/** Null-marked: NullAway checks this package in every build. */
@NullMarked
package io.podpath.agent.kernel.iptables;

import org.jspecify.annotations.NullMarked;
