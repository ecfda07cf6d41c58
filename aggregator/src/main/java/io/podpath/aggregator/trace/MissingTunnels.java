package io.podpath.aggregator.trace;

import io.podpath.aggregator.agents.AgentClient;
import io.podpath.aggregator.agents.AgentException;
import io.podpath.aggregator.inventory.Inventory;
import io.podpath.aggregator.inventory.NodeInfo;
import io.podpath.aggregator.model.NodeTunnels;
import io.podpath.aggregator.model.Outcome;
import java.util.Optional;

/** Names a drop's cause when it is a missing tunnel between the dropping node and the goal's. */
final class MissingTunnels {
  private final Inventory inventory;
  private final AgentClient agents;

  MissingTunnels(Inventory inventory, AgentClient agents) {
    this.inventory = inventory;
    this.agents = agents;
  }

  /**
   * A flow drop on the way to a pod on another node, where this node has no tunnel port to that
   * node's encap IP (ovn-controller makes none when the chassis share no transport zone, say): the
   * table that dropped it is not the news, the missing tunnel is. Asked of the node's agent only on
   * such a drop; an agent that cannot answer leaves the drop as it was.
   */
  Optional<Outcome.Drop> cause(Goal goal, String node, Outcome.Dropped d) {
    Optional<NodeInfo> peer =
        goal.pod()
            .filter(p -> !p.node().isEmpty() && !p.node().equals(node))
            .flatMap(p -> inventory.node(p.node()))
            .filter(n -> !n.encapIp().isEmpty());
    boolean byFlow =
        d.drop().map(x -> x.policy().isEmpty() && x.causeCode().isEmpty()).orElse(true);
    if (peer.isEmpty() || !byFlow) {
      return Optional.empty();
    }
    NodeTunnels tunnels;
    try {
      tunnels = agents.tunnels(node);
    } catch (AgentException e) {
      return Optional.empty();
    }
    if (tunnels.reaches(peer.get().encapIp())) {
      return Optional.empty();
    }
    String type = tunnels.encapType().isEmpty() ? "" : tunnels.encapType() + " ";
    return Optional.of(
        new Outcome.Drop(
            d.drop().map(Outcome.Drop::table).orElse(-1),
            "no "
                + type
                + "tunnel from "
                + node
                + " to "
                + peer.get().name()
                + " ("
                + peer.get().encapIp()
                + ")",
            Optional.empty(),
            "no-tunnel"));
  }
}
