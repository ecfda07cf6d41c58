/** Null-marked: NullAway checks this package in every build. */
@NullMarked
package io.podpath.agent.grpc;

import org.jspecify.annotations.NullMarked;
