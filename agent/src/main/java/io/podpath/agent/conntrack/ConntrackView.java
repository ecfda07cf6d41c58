package io.podpath.agent.conntrack;

import java.util.List;

/**
 * What a TraceNode says about conntrack on its node: the fill of every table the packet's ct()
 * actions use, and (when asked) the entries of the packet's connection as the tool printed them.
 */
public record ConntrackView(List<ConntrackFill> fills, List<String> entries) {
  public static final ConntrackView NONE = new ConntrackView(List.of(), List.of());

  public ConntrackView {
    fills = List.copyOf(fills);
    entries = List.copyOf(entries);
  }
}
