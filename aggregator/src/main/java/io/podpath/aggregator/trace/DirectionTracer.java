package io.podpath.aggregator.trace;

import io.podpath.aggregator.agents.AgentClient;
import io.podpath.aggregator.agents.AgentException;
import io.podpath.aggregator.inventory.Inventory;
import io.podpath.aggregator.inventory.NodeInfo;
import io.podpath.aggregator.inventory.PodInfo;
import io.podpath.proto.v1.DropInfo;
import io.podpath.proto.v1.NodeTrace;
import io.podpath.proto.v1.TraceNodeRequest;
import io.podpath.proto.v1.TraceOutcome;
import io.podpath.proto.v1.TunnelIngress;
import io.podpath.proto.v1.TunnelOutput;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Follows one packet from node to node: asks the node's agent to trace it, and while the packet
 * leaves by a tunnel, asks the agent of the node owning the tunnel's remote IP to trace it from its
 * tunnel port with the same tun_id, Geneve options and inner headers as they left.
 */
final class DirectionTracer {
  private final Inventory inventory;
  private final AgentClient agents;

  DirectionTracer(Inventory inventory, AgentClient agents) {
    this.inventory = inventory;
    this.agents = agents;
  }

  /** A direction in progress: the hops so far and the notes the stitcher made. */
  private final class Run {
    final Goal goal;
    final TraceNodeRequest first;
    final List<String> nodes = new ArrayList<>();
    final List<NodeTrace> traces = new ArrayList<>();
    final List<String> notes = new ArrayList<>();

    Run(Goal goal, TraceNodeRequest first) {
      this.goal = goal;
      this.first = first;
    }

    List<Hop> hops(boolean endsAtDestination) {
      Map<String, Integer> order = new LinkedHashMap<>();
      nodes.forEach(n -> order.putIfAbsent(n, order.size()));
      int last = order.size() - 1;
      List<Hop> out = new ArrayList<>();
      for (int i = 0; i < nodes.size(); i++) {
        int at = order.get(nodes.get(i));
        Hop.Role role;
        if (at == 0) {
          role = endsAtDestination && last == 0 ? Hop.Role.SOURCE_AND_DESTINATION : Hop.Role.SOURCE;
        } else if (at == last && endsAtDestination) {
          role = Hop.Role.DESTINATION;
        } else {
          role = Hop.Role.TRANSIT;
        }
        out.add(new Hop(nodes.get(i), role, traces.get(i)));
      }
      return out;
    }

    DirectionResult delivered() {
      List<Hop> hops = hops(true);
      return result(
          Verdict.DELIVERED, Summaries.delivered(goal, hops), hops, "", Optional.empty(), "", "");
    }

    DirectionResult dropped(String node, Optional<DropInfo> drop) {
      return result(
          Verdict.DROPPED,
          Summaries.dropped(goal, node, drop),
          // The node that dropped it is the destination node only if the pod lives there.
          hops(goal.pod().map(p -> p.node().equals(node)).orElse(false)),
          node,
          drop,
          "",
          "");
    }

    DirectionResult left(String via) {
      return result(
          Verdict.LEFT_CLUSTER,
          Summaries.left(goal, via),
          hops(false),
          "",
          Optional.empty(),
          via,
          "");
    }

    DirectionResult inconclusive(String reason) {
      return result(
          Verdict.INCONCLUSIVE,
          Summaries.inconclusive(goal, reason),
          hops(false),
          "",
          Optional.empty(),
          "",
          reason);
    }

    private DirectionResult result(
        Verdict v,
        String summary,
        List<Hop> hops,
        String dropped,
        Optional<DropInfo> drop,
        String via,
        String reason) {
      return new DirectionResult(
          v, summary, hops, dropped, drop, via, reason, first.getPacket(), notes);
    }
  }

  /**
   * Traces one direction starting on {@code startNode}.
   *
   * @param sourceAgentRequired when true, a missing agent on the first node is the caller's error
   *     (FAILED_PRECONDITION) rather than an INCONCLUSIVE verdict
   */
  DirectionResult run(
      String startNode,
      TraceNodeRequest first,
      Goal goal,
      int maxHops,
      boolean sourceAgentRequired) {
    Run run = new Run(goal, first);
    String node = startNode;
    TraceNodeRequest request = first;
    boolean dnatPending = goal.dnat().isPresent();
    while (true) {
      if (run.nodes.size() >= maxHops) {
        return run.inconclusive(
            "hop limit " + maxHops + " reached (" + String.join(" -> ", run.nodes) + ")");
      }
      NodeTrace trace;
      try {
        trace = agents.traceNode(node, request);
      } catch (AgentException e) {
        if (run.nodes.isEmpty()
            && sourceAgentRequired
            && e.kind() == AgentException.Kind.NO_AGENT) {
          throw TraceException.precondition("no agent known for the source node " + node);
        }
        return run.inconclusive(agentFailure(node, e));
      }
      run.nodes.add(node);
      run.traces.add(trace);
      TraceOutcome o = trace.getOutcome();

      if (dnatPending) {
        dnatPending = false;
        Goal.Dnat dnat = goal.dnat().get();
        Optional<String> why = dnatRetraceReason(o, goal);
        if (why.isPresent()) {
          run.notes.add(
              why.get()
                  + " on "
                  + node
                  + " ("
                  + dnat.vip()
                  + "); continued on "
                  + node
                  + " with the packet DNATed to "
                  + hostPort(dnat.ip(), dnat.port())
                  + " as the load balancer does for this endpoint");
          request =
              request.toBuilder()
                  .setPacket(
                      request.getPacket().toBuilder().setDstIp(dnat.ip()).setDstPort(dnat.port()))
                  .build();
          continue;
        }
      }

      switch (o.getKind()) {
        case KIND_LOCAL_POD -> {
          if (goal.pod().isPresent() && reached(o, goal.pod().get())) {
            return run.delivered();
          }
          return run.inconclusive(
              "the packet reached " + describe(o) + " on " + node + ", not " + goal.to());
        }
        case KIND_TUNNEL -> {
          TunnelOutput t = o.getTunnel();
          Optional<NodeInfo> next = inventory.nodeByEncapIp(t.getRemoteIp());
          if (next.isEmpty()) {
            return run.inconclusive(
                "the packet leaves "
                    + node
                    + " by tunnel "
                    + t.getPortName()
                    + " to "
                    + t.getRemoteIp()
                    + ", which is no known node's encap IP");
          }
          if (!t.hasInner()) {
            return run.inconclusive(
                "the agent on "
                    + node
                    + " did not return the inner packet leaving by tunnel "
                    + t.getPortName());
          }
          String local =
              t.getLocalIp().isEmpty()
                  ? inventory.node(node).map(NodeInfo::encapIp).orElse("")
                  : t.getLocalIp();
          request =
              TraceNodeRequest.newBuilder()
                  .setTunnel(
                      TunnelIngress.newBuilder()
                          .setTunSrc(local)
                          .setTunDst(t.getRemoteIp())
                          .setTunId(t.getVni())
                          .addAllGeneveOptions(t.getGeneveOptionsList()))
                  .setPacket(t.getInner())
                  .addAllCtNext(first.getCtNextList())
                  .setIncludeRaw(first.getIncludeRaw())
                  .build();
          node = next.get().name();
        }
        case KIND_DROPPED -> {
          return run.dropped(node, o.hasDrop() ? Optional.of(o.getDrop()) : Optional.empty());
        }
        case KIND_HOST, KIND_GATEWAY, KIND_PATCH, KIND_OTHER_PORT -> {
          String via =
              node + " via port " + o.getPortName() + " (" + Summaries.kind(o.getKind()) + ")";
          if (goal.pod().isEmpty()) {
            return run.left(via);
          }
          return run.inconclusive(
              "the packet leaves OVS on "
                  + via
                  + " instead of reaching "
                  + goal.to()
                  + "; podpath follows packets inside OVS only");
        }
        case KIND_CONTROLLER -> {
          return run.inconclusive(
              "the packet is sent to the controller on " + node + ": " + o.getSummary());
        }
        case KIND_RECIRCULATION -> {
          return run.inconclusive(
              "ofproto/trace stopped at recirculation "
                  + o.getRecirculation()
                  + " on "
                  + node
                  + ", which podpath cannot follow"
                  + (o.getSummary().isEmpty() ? "" : ": " + o.getSummary()));
        }
        case KIND_MULTIPLE -> {
          return run.inconclusive(
              "the packet is output to several ports on " + node + ": " + o.getSummary());
        }
        default -> {
          return run.inconclusive("the agent on " + node + " returned no outcome");
        }
      }
    }
  }

  /**
   * Why the VIP packet's trace must be repeated with the packet DNATed to this endpoint, or empty
   * when the trace already went towards it (or ended before the load balancer, e.g. dropped).
   */
  private Optional<String> dnatRetraceReason(TraceOutcome o, Goal goal) {
    PodInfo pod = goal.pod().orElseThrow();
    return switch (o.getKind()) {
      case KIND_RECIRCULATION ->
          Optional.of(
              "the OVN load balancer stopped ofproto/trace at recirculation "
                  + shortRecirc(o.getRecirculation()));
      case KIND_LOCAL_POD ->
          reached(o, pod)
              ? Optional.empty()
              : Optional.of(
                  "the load balancer picked another backend (" + describe(o) + ") in this trace");
      case KIND_TUNNEL -> {
        Optional<String> to =
            inventory.nodeByEncapIp(o.getTunnel().getRemoteIp()).map(NodeInfo::name);
        yield to.isPresent() && to.get().equals(pod.node())
            ? Optional.empty()
            : Optional.of(
                "the load balancer picked a backend on another node ("
                    + o.getTunnel().getRemoteIp()
                    + ") in this trace");
      }
      default -> Optional.empty();
    };
  }

  /** "hash(l4(0)),recirc(0x8): why..." -> "hash(l4(0)),recirc(0x8)": the note says why itself. */
  static String shortRecirc(String recirculation) {
    int colon = recirculation.indexOf(':');
    return colon < 0 ? recirculation : recirculation.substring(0, colon);
  }

  static boolean reached(TraceOutcome o, PodInfo pod) {
    if (o.hasPod()) {
      return o.getPod().getNamespace().equals(pod.ref().namespace())
          && o.getPod().getName().equals(pod.ref().name());
    }
    // OVN-Kubernetes names a pod's port (iface-id) <namespace>_<pod>.
    return o.getPortName().equals(pod.ref().namespace() + "_" + pod.ref().name());
  }

  private static String describe(TraceOutcome o) {
    if (o.hasPod()) {
      return "pod " + o.getPod().getNamespace() + "/" + o.getPod().getName();
    }
    return "port " + o.getPortName();
  }

  static String hostPort(String ip, int port) {
    if (port == 0) {
      return ip;
    }
    return (ip.contains(":") ? "[" + ip + "]" : ip) + ":" + port;
  }

  static String agentFailure(String node, AgentException e) {
    return switch (e.kind()) {
      case NO_AGENT -> "no agent known for node " + node;
      case UNREACHABLE -> "the agent on " + node + " is unreachable: " + e.getMessage();
      case TIMEOUT -> "the agent on " + node + " did not answer in time: " + e.getMessage();
      case NOT_FOUND -> "the agent on " + node + " does not know the ingress: " + e.getMessage();
      case REJECTED -> "the agent on " + node + " rejected the request: " + e.getMessage();
      case FAILED -> "the agent on " + node + " failed: " + e.getMessage();
    };
  }
}
