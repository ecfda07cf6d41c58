/**
 * How the aggregator reaches each node's agent: finding agents, their TLS credentials, the gRPC
 * calls and the mapping of agent answers to the domain's records.
 *
 * <p>Null-marked: NullAway checks it in every build.
 */
@NullMarked
package io.podpath.aggregator.agents;

import org.jspecify.annotations.NullMarked;
