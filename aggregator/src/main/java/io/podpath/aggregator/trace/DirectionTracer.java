package io.podpath.aggregator.trace;

import io.podpath.aggregator.agents.AgentClient;
import io.podpath.aggregator.agents.AgentException;
import io.podpath.aggregator.inventory.Inventory;
import io.podpath.aggregator.inventory.NodeInfo;
import io.podpath.aggregator.inventory.PodInfo;
import io.podpath.aggregator.model.CallScope;
import io.podpath.aggregator.model.KernelResult;
import io.podpath.aggregator.model.NodeAnswer;
import io.podpath.aggregator.model.NodeQuery;
import io.podpath.aggregator.model.Outcome;
import io.podpath.aggregator.model.TracedPacket;
import io.podpath.common.HostPort;
import java.util.List;
import java.util.Optional;

/**
 * Follows one packet from node to node: asks the node's agent to trace it, and while the packet
 * leaves by a tunnel, asks the agent of the node owning the tunnel's remote IP to trace it from its
 * tunnel port with the same tun_id, Geneve options and inner headers as they left.
 */
final class DirectionTracer {
  private final Inventory inventory;
  private final AgentClient agents;

  private final MissingTunnels missingTunnels;
  private final NextHopSpeculation speculation;

  DirectionTracer(Inventory inventory, AgentClient agents, NextHopSpeculation speculation) {
    this.inventory = inventory;
    this.agents = agents;
    this.missingTunnels = new MissingTunnels(inventory, agents);
    this.speculation = speculation;
  }

  /** A direction that cannot start (or whose tracing failed): INCONCLUSIVE without a hop. */
  static DirectionResult unstartable(Goal goal, TracedPacket packet, String reason) {
    return new DirectionResult.Inconclusive(
        Summaries.inconclusive(goal, reason), List.of(), packet, List.of(), reason);
  }

  /** Traces one direction within {@code scope}; {@code speculate}: see NextHopSpeculation. */
  DirectionResult run(Plan.Traceable start, int maxHops, CallScope scope, boolean speculate) {
    try (HopCalls calls =
        new HopCalls(agents, scope, speculate ? Optional.of(speculation) : Optional.empty())) {
      return run(start, maxHops, scope, calls);
    }
  }

  private DirectionResult run(Plan.Traceable start, int maxHops, CallScope scope, HopCalls calls) {
    Goal goal = start.goal();
    DirectionRun run = new DirectionRun(goal, start.packet());
    String node = start.node();
    NodeQuery query = start.first();
    boolean dnatPending = goal.dnat().isPresent();
    while (true) {
      Optional<String> stopped = scope.stopped();
      if (stopped.isPresent()) {
        throw TraceException.cancelled(
            "trace stopped after " + run.answers.size() + " node(s): " + stopped.get());
      }
      if (run.answers.size() >= maxHops) {
        return run.inconclusive(
            "hop limit " + maxHops + " reached (" + String.join(" -> ", run.nodes()) + ")");
      }
      NodeAnswer answer;
      try {
        answer = calls.traceNode(node, query, run.answers.size() + 1 < maxHops);
      } catch (AgentException e) {
        if (e.kind() == AgentException.Kind.CANCELLED) {
          throw TraceException.cancelled("trace stopped on " + node + ": " + e.getMessage());
        }
        if (run.answers.isEmpty()
            && start.sourceAgentRequired()
            && e.kind() == AgentException.Kind.NO_AGENT) {
          throw TraceException.precondition("no agent known for the source node " + node);
        }
        return run.agentFailed(node, e);
      }
      run.answers.add(answer);
      Outcome o = answer.outcome();

      // The node's own kernel-only hop (SRC node/NAME) is no load balancer's answer: the check
      // waits for the first OVS hop.
      if (dnatPending
          && !(query.ingress() instanceof NodeQuery.FromHost)
          && !(query.ingress() instanceof NodeQuery.FromUplink)) {
        dnatPending = false;
        Goal.Dnat dnat = goal.dnat().get();
        Optional<String> why = dnatRetraceReason(o, goal);
        if (why.isPresent() && o instanceof Outcome.Recirculated && hairpin(goal, run.packet)) {
          // The load balancer picked the sender itself. OVN's hairpin check reads what the
          // backend's group bucket commits to conntrack, which a plain DNATed re-trace lacks: the
          // agent continues the stopped trace as the node's own bucket for this backend does.
          run.notes.add(
              why.get()
                  + " on "
                  + node
                  + " ("
                  + dnat.vip()
                  + "); it picked the sending pod itself ("
                  + HostPort.of(dnat.ip(), dnat.port())
                  + "), so "
                  + node
                  + "'s agent continued the trace as its load balancer group's bucket for that"
                  + " backend commits it (DNAT, conntrack mark and original tuple; finding"
                  + " lb-backend-continued)");
          query = query.withLbBackend(new NodeQuery.LbBackend(dnat.ip(), dnat.port()));
          continue;
        }
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
                  + HostPort.of(dnat.ip(), dnat.port())
                  + " as the load balancer does for this endpoint");
          query = query.withPacket(query.packet().withDestination(dnat.ip(), dnat.port()));
          continue;
        }
      }

      Optional<NodeArrival.Next> arrive = NodeArrival.after(inventory, node, query, answer);
      if (arrive.isPresent()) {
        run.notes.add(arrive.get().note());
        node = arrive.get().node();
        query = arrive.get().query();
        continue;
      }
      if (answer.kernel().isPresent()) {
        KernelResult k = answer.kernel().get();
        if (k instanceof KernelResult.Inconclusive
            && goal.dnat().isPresent()
            && goal.pod().isPresent()
            && query.lbBackend().isEmpty()) {
          // The node's own NAT (kube-proxy's statistic) may pick another endpoint: ask the agent
          // again to follow the way to this one, as NodeSource does for a node's own packets.
          Goal.Dnat dnat = goal.dnat().get();
          run.answers.remove(run.answers.size() - 1);
          run.notes.add(
              "the kernel of "
                  + node
                  + " picks the endpoint of "
                  + dnat.vip()
                  + " itself; traced on the way it takes to "
                  + HostPort.of(dnat.ip(), dnat.port()));
          query = query.withLbBackend(new NodeQuery.LbBackend(dnat.ip(), dnat.port()));
          continue;
        }
        Optional<NodeQuery> unNat = ReplyUnNat.next(run, node, query, o, k);
        if (unNat.isPresent()) {
          query = unNat.get();
          continue;
        }
        if (k instanceof KernelResult.BackToOvs b) {
          if (!b.packet().dstIp().equals(query.packet().dstIp())) {
            run.kernelDnat = true;
          }
          // The node routed the packet back into OVS (e.g. after a NodePort DNAT): trace on.
          run.notes.add(
              "the kernel of "
                  + node
                  + " routed the packet"
                  + (run.kernelDnat
                      ? " (DNATed to " + HostPort.of(b.packet().dstIp(), b.packet().dstPort()) + ")"
                      : "")
                  + " to "
                  + (b.device().isEmpty() ? "" : b.device() + ", ")
                  + "OVS port "
                  + b.bridge()
                  + " ofport "
                  + b.ofport()
                  + "; continued in OVS from there");
          query =
              new NodeQuery(
                  new NodeQuery.FromOvsPort(b.bridge(), b.ofport()),
                  ReplyUnNat.source(run, b.packet()).sizedAs(query.packet()),
                  start.first().reply(),
                  start.first().includeRaw(),
                  start.first().includeConntrackEntries());
          continue;
        }
        return KernelEnds.end(run, node, k);
      }

      if (o instanceof Outcome.ToTunnel t) {
        Optional<FabricHop.Next> fabric = FabricHop.after(inventory, node, t);
        fabric.ifPresent(f -> run.notes.add(f.note()));
        Optional<NodeInfo> next =
            fabric.map(FabricHop.Next::node).or(() -> inventory.nodeByEncapIp(t.remoteIp()));
        Optional<String> out = FabricHop.leavesCluster(inventory, goal, node, t);
        if (next.isEmpty() && out.isPresent()) {
          return run.left(out.get());
        }
        if (next.isEmpty()) {
          return run.inconclusive(
              "the packet leaves "
                  + node
                  + " by tunnel "
                  + t.portName()
                  + " to "
                  + t.remoteIp()
                  + ", which is no known node's encap IP");
        }
        if (t.inner().isEmpty()) {
          return run.inconclusive(
              "the agent on "
                  + node
                  + " did not return the inner packet leaving by tunnel "
                  + t.portName());
        }
        String local =
            t.localIp().isEmpty()
                ? inventory.node(node).map(n -> TunnelEnd.local(n, t.remoteIp())).orElse("")
                : t.localIp();
        query =
            new NodeQuery(
                fabric
                    .map(
                        f -> new NodeQuery.FromTunnel(f.tunSrc(), f.tunDst(), t.vni(), t.options()))
                    .orElseGet(
                        () -> new NodeQuery.FromTunnel(local, t.remoteIp(), t.vni(), t.options())),
                t.inner().get().sizedAs(query.packet()),
                start.first().reply(),
                start.first().includeRaw(),
                start.first().includeConntrackEntries());
        node = next.get().name();
        continue;
      }
      if (o instanceof Outcome.Dropped
          && hairpin(goal, run.packet)
          && query.lbBackend().isEmpty()) {
        // A plain DNATed re-trace of a hairpin (the agent was not asked to continue past the
        // load balancer): its loopback drop is not the packet's fate.
        return run.inconclusive(hairpinReason(goal, node));
      }
      if (o instanceof Outcome.ToPod
          && query.lbBackend().isPresent()
          && hairpin(goal, run.packet)) {
        run.notes.add(
            "OVN hairpinned the packet: it leaves "
                + node
                + " by the sending pod's own port (the agent's findings show the continuation and"
                + " any SNAT on the way)");
      }
      if (o instanceof Outcome.Dropped d) {
        Optional<Outcome.Drop> gap = missingTunnels.cause(goal, node, d);
        if (gap.isPresent()) {
          return run.dropped(node, gap);
        }
      }
      return end(run, node, o);
    }
  }

  /** The load balancer picked the sending pod itself: the packet must come back to its sender. */
  static boolean hairpin(Goal goal, TracedPacket sent) {
    return goal.dnat().map(d -> d.ip().equals(sent.srcIp())).orElse(false);
  }

  /**
   * OVN delivers such a packet (chk_lb_hairpin, then SNAT to the VIP and out the same port), but
   * that check reads the conntrack mark the load balancer's group bucket commits, which
   * ofproto/trace does not apply: the trace ends in the loopback drop while real packets arrive.
   */
  static String hairpinReason(Goal goal, String node) {
    Goal.Dnat d = goal.dnat().orElseThrow();
    return "the load balancer of "
        + d.vip()
        + " picked the sending pod itself ("
        + HostPort.of(d.ip(), d.port())
        + "); the datapath hairpins it back (SNAT to the VIP), but ofproto/trace on "
        + node
        + " cannot apply the load balancer's conntrack mark that hairpin check reads, so its drop"
        + " is not the packet's fate";
  }

  /**
   * The direction's result when the packet's trip ends on {@code node} (any outcome but a tunnel).
   */
  private static DirectionResult end(DirectionRun run, String node, Outcome o) {
    Goal goal = run.goal;
    if (o instanceof Outcome.ToPod p) {
      if (goal.pod().isPresent() && reached(p, goal.pod().get())) {
        return run.delivered();
      }
      if (goal.pod().isEmpty() && run.kernelDnat) {
        // A NodePort/ExternalIP: the kernel chose this backend, any pod it reaches is the goal.
        return run.delivered();
      }
      return run.inconclusive(
          "the packet reached " + describe(p) + " on " + node + ", not " + goal.to());
    }
    if (o instanceof Outcome.Dropped d) {
      return run.dropped(node, d.drop());
    }
    if (o instanceof Outcome.LeavesOvs l) {
      String via = node + " via port " + l.portName() + " (" + l.kind().text() + ")";
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
    if (o instanceof Outcome.ToController c) {
      String dst = run.packet.dstIp();
      if (goal.pod().isEmpty() && goal.dnat().isEmpty()) {
        return run.inconclusive(
            dst
                + " is the address of no pod podpath knows; on "
                + node
                + " the packet is "
                + c.summary());
      }
      return run.inconclusive("the packet is " + c.summary() + " on " + node);
    }
    if (o instanceof Outcome.Recirculated r) {
      return run.inconclusive(
          "ofproto/trace stopped at recirculation "
              + r.recirculation()
              + " on "
              + node
              + ", which podpath cannot follow"
              + (r.summary().isEmpty() ? "" : ": " + r.summary()));
    }
    if (o instanceof Outcome.Multiple m) {
      return run.inconclusive(
          "the packet is output to several ports on " + node + ": " + m.summary());
    }
    return run.inconclusive("the agent on " + node + " returned no outcome");
  }

  /**
   * Why the VIP packet's trace must be repeated with the packet DNATed to this endpoint, or empty
   * when the trace already went towards it (or ended before the load balancer, e.g. dropped).
   */
  private Optional<String> dnatRetraceReason(Outcome o, Goal goal) {
    PodInfo pod = goal.pod().orElseThrow();
    if (o instanceof Outcome.Recirculated r) {
      return Optional.of(
          "the OVN load balancer stopped ofproto/trace at recirculation "
              + shortRecirc(r.recirculation()));
    }
    if (o instanceof Outcome.ToPod p) {
      return reached(p, pod)
          ? Optional.empty()
          : Optional.of(
              "the load balancer picked another backend (" + describe(p) + ") in this trace");
    }
    if (o instanceof Outcome.ToTunnel t) {
      Optional<String> to = inventory.nodeByEncapIp(t.remoteIp()).map(NodeInfo::name);
      return to.isPresent() && to.get().equals(pod.node())
          ? Optional.empty()
          : Optional.of(
              "the load balancer picked a backend on another node ("
                  + t.remoteIp()
                  + ") in this trace");
    }
    return Optional.empty();
  }

  /** "hash(l4(0)),recirc(0x8): why..." -> "hash(l4(0)),recirc(0x8)": the note says why itself. */
  static String shortRecirc(String recirculation) {
    int colon = recirculation.indexOf(':');
    return colon < 0 ? recirculation : recirculation.substring(0, colon);
  }

  static boolean reached(Outcome.ToPod o, PodInfo pod) {
    if (o.pod().isPresent()) {
      return o.pod().get().namespace().equals(pod.ref().namespace())
          && o.pod().get().name().equals(pod.ref().name());
    }
    if (!o.podIp().isEmpty()) {
      // A CNI that names no pod in OVSDB: the agent proved the port's namespace holds this IP.
      return pod.ips().contains(o.podIp());
    }
    // OVN-Kubernetes names a pod's port (iface-id) <namespace>_<pod>.
    return o.portName().equals(pod.ref().namespace() + "_" + pod.ref().name());
  }

  private static String describe(Outcome.ToPod o) {
    return o.pod()
        .map(p -> "pod " + p)
        .orElse(o.podIp().isEmpty() ? "port " + o.portName() : "the pod with IP " + o.podIp());
  }
}
