/**
 * What one node's agent is asked to trace and what it answers, in the aggregator's own terms. The
 * planner ({@code trace}) reasons on these records; {@code agents} maps them to and from the wire.
 */
package io.podpath.aggregator.model;
