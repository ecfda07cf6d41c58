/**
 * The aggregator's gRPC and HTTP edge: validates requests, maps them to the domain's records and
 * maps answers and typed errors back to protobuf.
 *
 * <p>Null-marked: NullAway checks it in every build.
 */
@NullMarked
package io.podpath.aggregator.api;

import org.jspecify.annotations.NullMarked;
