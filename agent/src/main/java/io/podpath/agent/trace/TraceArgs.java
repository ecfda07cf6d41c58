package io.podpath.agent.trace;

import java.util.ArrayList;
import java.util.List;

/**
 * The arguments of one {@code ofproto/trace} call, built by {@link FlowBuilder} from typed values
 * only: the bridge, the flow, and options such as {@code --ct-next trk,est}.
 */
public record TraceArgs(String bridge, String flow, List<String> options) {
  public TraceArgs {
    options = List.copyOf(options);
  }

  /** The unixctl parameters (and the tail of the ovs-appctl argv): bridge, flow, options. */
  public List<String> params() {
    List<String> p = new ArrayList<>(2 + options.size());
    p.add(bridge);
    p.add(flow);
    p.addAll(options);
    return p;
  }
}
