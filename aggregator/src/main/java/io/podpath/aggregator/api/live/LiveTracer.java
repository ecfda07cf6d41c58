package io.podpath.aggregator.api.live;

import io.podpath.aggregator.agents.AgentClient;
import io.podpath.aggregator.agents.AgentException;
import io.podpath.proto.v1.EndpointTrace;
import io.podpath.proto.v1.InspectPodRequest;
import io.podpath.proto.v1.LivePoint;
import io.podpath.proto.v1.LiveTrace;
import io.podpath.proto.v1.ObserveHandle;
import io.podpath.proto.v1.ObserveMatch;
import io.podpath.proto.v1.Packet;
import io.podpath.proto.v1.PodRef;
import io.podpath.proto.v1.ProbeRequest;
import io.podpath.proto.v1.ProbeResult;
import io.podpath.proto.v1.Sighting;
import io.podpath.proto.v1.StartObserveRequest;
import io.podpath.proto.v1.TraceResult;
import io.podpath.proto.v1.Verdict;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The live trace after the modelled one: open a capture on every node of the modelled forward
 * paths, send ONE real packet from the source pod (marked by the source port the model traced too),
 * collect what each node saw, and set each capture point's observation beside the model's
 * prediction. Only the edge runs it: it speaks the agents' wire types.
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

  /** The live trace of {@code model}'s forward direction; {@code source} is the sending pod. */
  public LiveTrace run(PodRef source, TraceResult model, Duration timeout) {
    EndpointTrace first = model.getEndpoints(0);
    Packet p = first.getForward().getPacket();
    String srcNode = first.getForward().getNodes(0).getNode();
    String mark =
        p.getProtocol().name().replace("PROTOCOL_", "").toLowerCase(Locale.ROOT)
            + " "
            + p.getSrcIp()
            + ":"
            + p.getSrcPort()
            + " (source port chosen for this trace)";
    LiveTrace.Builder out = LiveTrace.newBuilder().setMark(mark);
    Set<String> nodes = new LinkedHashSet<>();
    model
        .getEndpointsList()
        .forEach(e -> e.getForward().getNodesList().forEach(n -> nodes.add(n.getNode())));
    StartObserveRequest start =
        StartObserveRequest.newBuilder()
            .setMatch(
                ObserveMatch.newBuilder()
                    .setSrcIp(p.getSrcIp())
                    .setProtocol(p.getProtocol())
                    .setSrcPort(p.getSrcPort()))
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
    ProbeResult sent;
    try {
      sent =
          agents.probe(
              srcNode,
              ProbeRequest.newBuilder()
                  .setSource(source)
                  .setDestinationIp(p.getDstIp())
                  .setProtocol(p.getProtocol())
                  .setDstPort(p.getDstPort())
                  .setSrcPort(p.getSrcPort())
                  .setTimeoutMillis((int) timeout.toMillis())
                  .build());
    } catch (AgentException e) {
      sent = ProbeResult.newBuilder().setDetail("not sent: " + e.getMessage()).build();
    }
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
        LivePoints.of(source, chosen, (n, pod) -> hostIf(veths, n, pod), nodeOf);
    LiveVerdicts.judge(out, chosen, points, seen, sent.getSentAtUnixMicros(), blind);
    return out.build();
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
                      s.getPacket().getDstIp().equals(e.getIp())
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
            .setSeen(s.isPresent());
    s.ifPresent(x -> b.setSinceSendMillis(t0 == 0 ? 0 : (x.getAtUnixMicros() - t0) / 1000.0));
    return b.build();
  }

  static Verdict modelVerdict(EndpointTrace e) {
    return e.getForward().getVerdict();
  }
}
