package io.podpath.aggregator.trace;

import io.podpath.aggregator.agents.AgentClient;
import io.podpath.aggregator.agents.AgentException;
import io.podpath.aggregator.inventory.Inventory;
import io.podpath.aggregator.inventory.NodeInfo;
import io.podpath.aggregator.model.NodeTunnels;
import io.podpath.aggregator.model.Outcome;
import java.util.List;
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
    if (TunnelEnd.addresses(peer.get()).stream().anyMatch(tunnels::reaches)) {
      return Optional.empty();
    }
    String peerEnd = TunnelEnd.remote(peer.get(), underlayRemotes(node, peer.get(), tunnels));
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
                + peerEnd
                + ")",
            Optional.empty(),
            "no-tunnel"));
  }

  /**
   * Remote IPs that show the family of the underlay between {@code node} and {@code peer}: the
   * node's tunnels to other peers, else the peer's tunnels back to the node (a two-node cluster
   * whose only port is gone); empty when neither agent says.
   */
  private List<String> underlayRemotes(String node, NodeInfo peer, NodeTunnels own) {
    if (TunnelEnd.addresses(peer).size() < 2
        || own.remoteIps().stream().anyMatch(TunnelEnd::isAddress)) {
      return own.remoteIps();
    }
    List<String> self = inventory.node(node).map(TunnelEnd::addresses).orElse(List.of());
    try {
      return agents.tunnels(peer.name()).remoteIps().stream().filter(self::contains).toList();
    } catch (AgentException e) {
      return List.of();
    }
  }
}
