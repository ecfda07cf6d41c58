package io.podpath.agent.cni;

import java.util.List;

/**
 * The profile the agent uses and why: what the node showed, or that the operator chose it.
 *
 * @param evidence what was seen on the node (or "--cni NAME")
 */
public record Detection(CniProfile profile, boolean overridden, List<String> evidence) {
  public Detection {
    evidence = List.copyOf(evidence);
  }
}
