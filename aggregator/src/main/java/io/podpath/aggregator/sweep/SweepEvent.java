package io.podpath.aggregator.sweep;

import io.podpath.aggregator.model.NodeChecks;
import io.podpath.aggregator.model.NodeReading;
import io.podpath.aggregator.model.PodPing;

/**
 * A completed agent call of a sweep — its typed answer, or why it failed — queued to the sweeping
 * thread ({@link SweepRunner}), which alone touches the sweep's state.
 */
sealed interface SweepEvent {
  /** The caller gave up: wakes the sweeping thread. */
  SweepEvent STOP = new Stop();

  /** The calls a sweep makes, for a failure to say which one failed. */
  enum Step {
    RUN_CHECKS,
    GET_NODE
  }

  record Checked(int node, NodeChecks report) implements SweepEvent {}

  record NodeRead(int node, NodeReading info) implements SweepEvent {}

  /** One MTU probe's ping ({@code path}: a node has one per family it probes). */
  record Probed(int node, MtuProbes.Path path, boolean big, PodPing.Result result)
      implements SweepEvent {}

  record ProbeFailed(int node, MtuProbes.Path path, boolean big, Throwable error)
      implements SweepEvent {}

  record Failed(int node, Step step, Throwable error) implements SweepEvent {}

  record Stop() implements SweepEvent {}
}
