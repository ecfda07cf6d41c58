package io.podpath.aggregator.trace;

import com.google.protobuf.ByteString;
import io.podpath.aggregator.agents.AgentClient;
import io.podpath.aggregator.agents.AgentException;
import io.podpath.aggregator.agents.AgentProtos;
import io.podpath.aggregator.model.CallScope;
import io.podpath.aggregator.model.NodeAnswer;
import io.podpath.aggregator.model.NodeQuery;
import io.podpath.proto.v1.DropInfo;
import io.podpath.proto.v1.GeneveOption;
import io.podpath.proto.v1.InspectPodRequest;
import io.podpath.proto.v1.NetworkPolicyRef;
import io.podpath.proto.v1.NodeInfo;
import io.podpath.proto.v1.NodeTrace;
import io.podpath.proto.v1.Packet;
import io.podpath.proto.v1.PodInspection;
import io.podpath.proto.v1.PodRef;
import io.podpath.proto.v1.TraceNodeRequest;
import io.podpath.proto.v1.TraceOutcome;
import io.podpath.proto.v1.TunnelOutput;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** An {@link AgentClient} answering from NodeTrace protos the test gives per node. */
public final class FakeAgents implements AgentClient {
  public record Call(String node, TraceNodeRequest request) {}

  /**
   * Every call, in the order they arrived (directions run concurrently: order across them varies).
   */
  public final List<Call> calls = new java.util.concurrent.CopyOnWriteArrayList<>();

  private final Map<String, Function<TraceNodeRequest, NodeTrace>> nodes =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** The calls made to {@code node} with requests matching {@code which}, in arrival order. */
  public List<TraceNodeRequest> requests(
      String node, java.util.function.Predicate<TraceNodeRequest> which) {
    return calls.stream()
        .filter(c -> c.node().equals(node) && which.test(c.request()))
        .map(Call::request)
        .toList();
  }

  public FakeAgents on(String node, Function<TraceNodeRequest, NodeTrace> answer) {
    nodes.put(node, answer);
    return this;
  }

  private final Map<String, NodeInfo> nodeInfos = new java.util.concurrent.ConcurrentHashMap<>();

  /** What GetNode answers for {@code node}; a node without one fails as an agent that is down. */
  public FakeAgents nodeInfo(String node, NodeInfo info) {
    nodeInfos.put(node, info);
    return this;
  }

  @Override
  public NodeInfo getNode(String node) {
    NodeInfo n = nodeInfos.get(node);
    if (n == null) {
      throw new io.podpath.aggregator.agents.AgentException(
          io.podpath.aggregator.agents.AgentException.Kind.UNREACHABLE, node, "no GetNode answer");
    }
    return n;
  }

  private final Map<String, PodInspection> inspections = new HashMap<>();

  /** Every InspectPod request, in arrival order. */
  public final List<InspectPodRequest> inspectRequests =
      new java.util.concurrent.CopyOnWriteArrayList<>();

  public FakeAgents inspection(String node, PodInspection answer) {
    inspections.put(node, answer);
    return this;
  }

  @Override
  public PodInspection inspectPod(String node, InspectPodRequest request) {
    inspectRequests.add(request);
    PodInspection p = inspections.get(node);
    if (p == null) {
      throw new AgentException(
          AgentException.Kind.UNREACHABLE, node, "agent on " + node + " unreachable");
    }
    return p;
  }

  @Override
  public NodeAnswer traceNode(String node, NodeQuery query, CallScope scope) {
    TraceNodeRequest request = AgentProtos.request(query);
    calls.add(new Call(node, request));
    Function<TraceNodeRequest, NodeTrace> f = nodes.get(node);
    if (f == null) {
      throw new AgentException(
          AgentException.Kind.NO_AGENT, node, "no agent known for node " + node);
    }
    return AgentProtos.answer(node, f.apply(request).toBuilder().setNode(node).build());
  }

  /**
   * A whole healthy cluster from an inventory: every node delivers to its own pods, tunnels to the
   * node owning the destination pod, stops at the load balancer for a Service VIP (as ofproto/trace
   * does) and sends anything else out by the host port.
   */
  public static FakeAgents cluster(io.podpath.aggregator.inventory.Inventory inv) {
    FakeAgents f = new FakeAgents();
    for (var node : inv.nodes()) {
      f.on(node.name(), r -> healthy(inv, node.name(), r));
    }
    return f;
  }

  public static NodeTrace healthy(
      io.podpath.aggregator.inventory.Inventory inv, String node, TraceNodeRequest r) {
    String dst = r.getPacket().getDstIp();
    if (inv.serviceByClusterIp(dst).isPresent()) {
      return recirc("0x2a");
    }
    var target = inv.podByIp(dst);
    if (target.isEmpty()) {
      return leaves(TraceOutcome.Kind.KIND_HOST, "k8s-" + node);
    }
    if (target.get().node().equals(node)) {
      return toPod(target.get().ref().namespace(), target.get().ref().name());
    }
    String local = inv.node(node).orElseThrow().encapIp();
    String remote = inv.node(target.get().node()).orElseThrow().encapIp();
    return tunnelTo(local, remote, 3).apply(r);
  }

  public static NodeTrace outcome(TraceOutcome.Builder o) {
    return NodeTrace.newBuilder().setBridge("br-int").setOutcome(o).build();
  }

  public static NodeTrace toPod(String ns, String name) {
    return outcome(
        TraceOutcome.newBuilder()
            .setKind(TraceOutcome.Kind.KIND_LOCAL_POD)
            .setPortName(ns + "_" + name)
            .setPod(PodRef.newBuilder().setNamespace(ns).setName(name))
            .setSummary("output to pod " + ns + "/" + name));
  }

  public static final GeneveOption OVN_OPTION =
      GeneveOption.newBuilder()
          .setOptionClass(0x102)
          .setType(0x80)
          .setValue(ByteString.copyFrom(new byte[] {0, 1, 0, 3}))
          .build();

  /** Leaves by Geneve to {@code remote}; the inner packet is the request's with TTL 63. */
  public static Function<TraceNodeRequest, NodeTrace> tunnelTo(
      String local, String remote, long vni) {
    return r ->
        outcome(
            TraceOutcome.newBuilder()
                .setKind(TraceOutcome.Kind.KIND_TUNNEL)
                .setPortName("ovn-node2-0")
                .setTunnel(
                    TunnelOutput.newBuilder()
                        .setPortName("ovn-" + remote)
                        .setType("geneve")
                        .setRemoteIp(remote)
                        .setLocalIp(local)
                        .setVni(vni)
                        .addGeneveOptions(OVN_OPTION)
                        .setInner(asLeft(r.getPacket()))));
  }

  public static Packet asLeft(Packet p) {
    return p.toBuilder()
        .setTtl(63)
        .setSrcMac("0a:58:0a:f4:02:01")
        .setDstMac("0a:58:0a:f4:02:03")
        .build();
  }

  public static NodeTrace dropped(int table, String policyNs, String policyName) {
    return outcome(
        TraceOutcome.newBuilder()
            .setKind(TraceOutcome.Kind.KIND_DROPPED)
            .setDrop(
                DropInfo.newBuilder()
                    .setTable(table)
                    .setCookie("0x1234")
                    .setReason("ACL drop")
                    .setNetworkPolicy(
                        NetworkPolicyRef.newBuilder()
                            .setNamespace(policyNs)
                            .setName(policyName)
                            .setDirection(NetworkPolicyRef.Direction.DIRECTION_INGRESS))));
  }

  public static NodeTrace recirc(String id) {
    return outcome(
        TraceOutcome.newBuilder()
            .setKind(TraceOutcome.Kind.KIND_RECIRCULATION)
            .setRecirculation(id)
            .setSummary("hash(l4(0)),recirc(" + id + ")"));
  }

  public static NodeTrace leaves(TraceOutcome.Kind kind, String port) {
    return outcome(TraceOutcome.newBuilder().setKind(kind).setPortName(port));
  }
}
