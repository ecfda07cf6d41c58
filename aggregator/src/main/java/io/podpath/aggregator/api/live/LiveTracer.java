package io.podpath.aggregator.api.live;

import io.podpath.aggregator.agents.AgentClient;
import io.podpath.aggregator.agents.AgentException;
import io.podpath.proto.v1.EndpointTrace;
import io.podpath.proto.v1.InspectPodRequest;
import io.podpath.proto.v1.LiveExchange;
import io.podpath.proto.v1.LivePoint;
import io.podpath.proto.v1.LiveTrace;
import io.podpath.proto.v1.NodeObservation;
import io.podpath.proto.v1.ObserveHandle;
import io.podpath.proto.v1.ObserveMatch;
import io.podpath.proto.v1.Packet;
import io.podpath.proto.v1.PodRef;
import io.podpath.proto.v1.ProbeRequest;
import io.podpath.proto.v1.ProbeResult;
import io.podpath.proto.v1.Protocol;
import io.podpath.proto.v1.Sighting;
import io.podpath.proto.v1.StartObserveRequest;
import io.podpath.proto.v1.TraceRequest;
import io.podpath.proto.v1.TraceResult;
import io.podpath.proto.v1.Verdict;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The live trace after the modelled one: open a capture on every node of the modelled forward paths
 * and the destination pod's, send ONE real packet from the source pod or node (marked by the source
 * port the model traced too, or an ICMP echo identifier), collect what each node saw of it and of
 * its answer, and set each capture point's observation beside the model's prediction. Only the edge
 * runs it: it speaks the agents' wire types.
 */
public final class LiveTracer {
  /** Captures stay open this much longer than the send's own timeout. */
  private static final Duration CAPTURE_MARGIN = Duration.ofMillis(300);

  private final AgentClient agents;
  private final Function<PodRef, Optional<String>> nodeOf;

  public LiveTracer(AgentClient agents, Function<PodRef, Optional<String>> nodeOf) {
    this.agents = agents;
    this.nodeOf = nodeOf;
  }

  /**
   * The live trace of {@code model}: {@code request}'s live_count exchanges one after another (the
   * first with the traced source port, each further one with a fresh mark, so that no exchange
   * meets the last one's sockets or conntrack entries); the one that counts carries them all.
   */
  public LiveTrace run(TraceRequest request, TraceResult model, Duration timeout) {
    int count = LiveRequests.count(request);
    Packet p = model.getEndpoints(0).getForward().getPacket();
    boolean icmp = p.getProtocol() == Protocol.PROTOCOL_ICMP;
    Set<Integer> used = new HashSet<>();
    List<LiveTrace> rounds = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      int mark = i == 0 && !icmp ? p.getSrcPort() : LiveRequests.freshMark();
      while (!used.add(mark)) {
        mark = LiveRequests.freshMark();
      }
      rounds.add(once(request, model, timeout, mark));
    }
    if (count == 1) {
      return rounds.get(0);
    }
    LiveTrace.Builder counts = rounds.get(worst(rounds)).toBuilder();
    rounds.forEach(
        r ->
            counts.addExchanges(
                LiveExchange.newBuilder()
                    .setMark(r.getMark())
                    .setOutcome(r.getOutcome())
                    .setEndpoint(r.getEndpoint())
                    .setLiveVerdict(r.getLiveVerdict())
                    .setDisagrees(r.getDisagrees())
                    .setSendDetail(r.getSendDetail())));
    return counts.build();
  }

  /**
   * The exchange that speaks for all: the first that disagrees with the model, else the first the
   * destination did not answer, else the first.
   */
  static int worst(List<LiveTrace> rounds) {
    int best = 0;
    int bestRank = -1;
    for (int i = 0; i < rounds.size(); i++) {
      LiveTrace r = rounds.get(i);
      int rank =
          r.getDisagrees()
              ? 3
              : r.getLiveVerdict() != Verdict.VERDICT_DELIVERED
                  ? 2
                  : !"REPLIED".equals(r.getOutcome()) ? 1 : 0;
      if (rank > bestRank) {
        best = i;
        bestRank = rank;
      }
    }
    return best;
  }

  /** One exchange marked by {@code mark}: the sender is a pod or a node's own stack. */
  private LiveTrace once(TraceRequest request, TraceResult model, Duration timeout, int mark) {
    EndpointTrace first = model.getEndpoints(0);
    Packet p = first.getForward().getPacket();
    NodeObservation origin = first.getForward().getNodes(0);
    String srcNode = origin.getNode();
    Optional<PodRef> sourcePod =
        request.getSource().hasPod() ? Optional.of(request.getSource().getPod()) : Optional.empty();
    // A node source: the address its kernel chose (the packet it handed to OVS); when it chose
    // none, the destination alone (the match takes either end) with the mark.
    String srcIp = p.getSrcIp();
    if (srcIp.isEmpty()) {
      srcIp = origin.getTrace().getKernel().getPacket().getSrcIp();
    }
    if (srcIp.isEmpty()) {
      srcIp = p.getDstIp();
    }
    boolean icmp = p.getProtocol() == Protocol.PROTOCOL_ICMP;
    String proto = p.getProtocol().name().replace("PROTOCOL_", "").toLowerCase(Locale.ROOT);
    LiveTrace.Builder out =
        LiveTrace.newBuilder()
            .setMark(
                icmp
                    ? proto + " " + srcIp + " echo id " + mark + " (chosen for this trace)"
                    : proto
                        + " "
                        + io.podpath.common.HostPort.of(srcIp, mark)
                        + " (source port chosen for this trace)");
    Set<String> nodes = new LinkedHashSet<>();
    model
        .getEndpointsList()
        .forEach(e -> e.getForward().getNodesList().forEach(n -> nodes.add(n.getNode())));
    model.getEndpointsList().forEach(e -> nodeOf(e).ifPresent(nodes::add));
    StartObserveRequest start =
        StartObserveRequest.newBuilder()
            .setMatch(
                ObserveMatch.newBuilder()
                    .setSrcIp(srcIp)
                    .setDstIp(p.getDstIp())
                    .setProtocol(p.getProtocol())
                    .setSrcPort(mark))
            .setDurationMillis((int) timeout.plus(CAPTURE_MARGIN).toMillis())
            .build();
    Map<String, ObserveHandle> open = new LinkedHashMap<>();
    List<String> blind = new ArrayList<>();
    for (String n : nodes) {
      try {
        open.put(n, agents.startObserve(n, start));
      } catch (AgentException e) {
        blind.add(n + " (" + e.getMessage() + ")");
      }
    }
    ProbeResult sent = send(request, srcNode, p, mark, timeout);
    out.setSendDetail(sent.getDetail());
    Map<String, List<Sighting>> seen = new HashMap<>();
    for (Map.Entry<String, ObserveHandle> h : open.entrySet()) {
      try {
        seen.put(
            h.getKey(),
            agents
                .collectObserve(h.getKey(), h.getValue(), timeout.plus(Duration.ofSeconds(3)))
                .getSightingsList());
      } catch (AgentException e) {
        blind.add(h.getKey() + " (" + e.getMessage() + ")");
      }
    }
    EndpointTrace chosen = chosen(model, seen);
    out.setEndpoint(chosen.getEndpoint());
    Map<String, String> veths = new HashMap<>();
    List<CapturePoint> points =
        LivePoints.of(sourcePod, chosen, (n, pod) -> hostIf(veths, n, pod), nodeOf);
    LiveVerdicts.judge(out, chosen, points, seen, sent.getSentAtUnixMicros(), blind);
    return out.build();
  }

  private Optional<String> nodeOf(EndpointTrace e) {
    return LivePoints.hasPod(e) ? nodeOf.apply(e.getPod()) : Optional.empty();
  }

  /**
   * ONE packet: a TCP SYN, a UDP datagram, an SCTP INIT or an ICMP echo (with the request's size
   * and DF).
   */
  private ProbeResult send(
      TraceRequest request, String srcNode, Packet p, int mark, Duration timeout) {
    ProbeRequest.Builder b =
        ProbeRequest.newBuilder()
            .setDestinationIp(p.getDstIp())
            .setProtocol(p.getProtocol())
            .setDstPort(p.getProtocol() == Protocol.PROTOCOL_ICMP ? 0 : p.getDstPort())
            .setSrcPort(mark)
            .setTimeoutMillis((int) timeout.toMillis());
    if (request.getSource().hasPod()) {
      b.setSource(request.getSource().getPod());
    } else {
      b.setFromNode(true);
    }
    // TraceRequest.size is the IP total length; ping -s takes the ICMP payload (IPv6 header 40).
    int headers = p.getDstIp().contains(":") ? 48 : 28;
    if (p.getProtocol() == Protocol.PROTOCOL_ICMP && request.getSize() > headers) {
      b.setSize(request.getSize() - headers).setDontFragment(!request.getAllowFragmentation());
    }
    try {
      return agents.probe(srcNode, b.build());
    } catch (AgentException e) {
      return ProbeResult.newBuilder().setDetail("not sent: " + e.getMessage()).build();
    }
  }

  /**
   * The endpoint the real packet went to: a Service's load balancer picks one backend, which shows
   * as the (inner) destination of a sighting; the first endpoint when nothing says.
   */
  static EndpointTrace chosen(TraceResult model, Map<String, List<Sighting>> seen) {
    for (EndpointTrace e : model.getEndpointsList()) {
      boolean hit =
          seen.values().stream()
              .flatMap(List::stream)
              .anyMatch(
                  s ->
                      !s.getReply()
                          && s.getPacket().getDstIp().equals(e.getIp())
                          && (e.getPort() == 0 || s.getPacket().getDstPort() == e.getPort()));
      if (hit) {
        return e;
      }
    }
    return model.getEndpoints(0);
  }

  private String hostIf(Map<String, String> cache, String node, PodRef pod) {
    String key = node + " " + LivePoints.name(pod);
    return cache.computeIfAbsent(
        key,
        k -> {
          try {
            return agents
                .inspectPod(node, InspectPodRequest.newBuilder().setPod(pod).build())
                .getHostInterface();
          } catch (AgentException e) {
            return "";
          }
        });
  }

  /** A capture point as the wire carries it, with its first sighting. */
  static LivePoint wire(CapturePoint p, Optional<Sighting> s, long t0) {
    LivePoint.Builder b =
        LivePoint.newBuilder()
            .setNode(p.node())
            .setWhat(p.what())
            .setInterface(s.map(Sighting::getInterface).orElse(p.iface()))
            .setPredicted(p.predicted())
            .setReply(p.reply())
            .setNotModelled(!p.judged())
            .setSeen(s.isPresent());
    s.ifPresent(x -> b.setSinceSendMillis(t0 == 0 ? 0 : (x.getAtUnixMicros() - t0) / 1000.0));
    return b.build();
  }

  static Verdict modelVerdict(EndpointTrace e) {
    return e.getForward().getVerdict();
  }
}
