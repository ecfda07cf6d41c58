package io.podpath.aggregator.agents;

import java.util.List;
import java.util.Optional;

/** Which agent serves which node. */
public interface AgentDirectory {
  Optional<AgentAddress> lookup(String node);

  List<AgentAddress> all();

  /** For logs and /readyz. */
  String description();
}
