package io.podpath.agent.trace;

import java.util.List;

/**
 * One pass of the datapath through the bridge: the first one, then one per recirculation that
 * ofproto/trace followed ({@code recircId} like {@code 0x1}, "" for the first). Holds that pass's
 * input flow, final flow, megaflow and datapath actions.
 */
public record TracePass(
    int index,
    String recircId,
    String resumeNote,
    String flow,
    String finalFlow,
    String megaflow,
    String datapathActions,
    List<TraceStep> steps) {
  public TracePass {
    steps = List.copyOf(steps);
  }
}
