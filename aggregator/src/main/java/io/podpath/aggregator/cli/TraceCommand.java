package io.podpath.aggregator.cli;

import io.podpath.aggregator.api.EndpointProtos;
import io.podpath.aggregator.render.TraceRenderer;
import io.podpath.aggregator.trace.EndpointSpec;
import io.podpath.aggregator.trace.TraceQuery;
import io.podpath.common.Dns1123;
import io.podpath.proto.v1.Endpoint;
import io.podpath.proto.v1.Protocol;
import io.podpath.proto.v1.TraceRequest;
import io.podpath.proto.v1.TraceResult;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code podpath trace SRC DST}: both directions, node by node. */
@Command(
    name = "trace",
    description = {
      "Traces a packet from SRC to DST across nodes and back, asking each node's agent.",
      "SRC/DST: POD, NAMESPACE/POD, svc/NAME, svc/NAMESPACE/NAME, ip:ADDRESS or node/NODE"
          + " (DST also node/NODE:NODEPORT); a name without a namespace is in -n NS, else the"
          + " kubeconfig context's namespace.",
      "Exit 0 when every forward verdict is DELIVERED (or, for an outside address, LEFT_CLUSTER"
          + " through a node kernel), 1 otherwise, 2 on usage errors,"
          + " 3 when podpath cannot reach the aggregator or an agent, 4 when a pod or Service"
          + " does not exist, 5 when it cannot be traced yet, 6 when --live finds the real packet"
          + " disagreeing with the model (see README, Exit codes)."
    },
    mixinStandardHelpOptions = true)
public final class TraceCommand implements Callable<Integer> {
  @SuppressWarnings("NullAway.Init") // required positional: picocli rejects argv without it
  @Parameters(
      index = "0",
      paramLabel = "SRC",
      description = "[NAMESPACE/]POD, ip:ADDRESS or node/NODE")
  String source;

  @SuppressWarnings("NullAway.Init") // required positional: picocli rejects argv without it
  @Parameters(
      index = "1",
      paramLabel = "DST",
      description =
          "[NAMESPACE/]POD, svc/[NAMESPACE/]NAME, ip:ADDRESS, node/NODE or node/NODE:NODEPORT")
  String destination;

  @ArgGroup(exclusive = true, multiplicity = "0..1")
  ProtocolChoice protocol = new ProtocolChoice();

  static final class ProtocolChoice {
    @Option(names = "--tcp", description = "TCP (the default)")
    boolean tcp;

    @Option(names = "--udp", description = "UDP")
    boolean udp;

    @Option(names = "--icmp", description = "ICMP echo")
    boolean icmp;

    @Option(names = "--sctp", description = "SCTP")
    boolean sctp;

    Protocol value() {
      if (udp) {
        return Protocol.PROTOCOL_UDP;
      }
      if (icmp) {
        return Protocol.PROTOCOL_ICMP;
      }
      return sctp ? Protocol.PROTOCOL_SCTP : Protocol.PROTOCOL_TCP;
    }
  }

  @Option(
      names = "--dst-port",
      paramLabel = "N",
      description = "Destination port (a Service's port for svc/...)")
  int dstPort;

  @Option(names = "--src-port", paramLabel = "N", description = "Source port (default 40000)")
  int srcPort;

  @Option(
      names = "--max-hops",
      paramLabel = "N",
      description = "Nodes to follow at most, 1-16 (default 8)")
  int maxHops;

  @Option(names = "--forward-only", description = "Skip the reply direction")
  boolean forwardOnly;

  @Option(
      names = "--size",
      paramLabel = "BYTES",
      description =
          "The IP packet's total length, headers included, 68-65535 (default: a small packet);"
              + " checked against every MTU on the path")
  @Nullable Integer size;

  @Option(
      names = "--df",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description =
          "Set Don't Fragment (the default, as TCP and ping do); --no-df lets an IPv4 hop"
              + " fragment the packet")
  boolean dontFragment = true;

  @Option(
      names = "--family",
      paramLabel = "4|6",
      description =
          "The address family of a dual-stack source and destination (default: the"
              + " destination's first podIP or ClusterIP); an ip: address has its own")
  @Nullable Integer family;

  @Option(
      names = "--ingress-node",
      paramLabel = "NODE",
      description =
          "For SRC ip:ADDRESS outside the cluster: the node the packet enters at, on the"
              + " interface that node routes ADDRESS by (default for DST node/NAME:PORT: NAME;"
              + " for a Service's ExternalIP or load balancer address: every node)")
  @Nullable String ingressNode;

  @Option(
      names = "--live",
      description =
          "After the model, send ONE real packet (TCP SYN, UDP datagram, SCTP INIT or ICMP echo from the"
              + " source pod or node, marked by its source port or echo identifier) and show where"
              + " each node saw it; exit 6 when model and packet disagree")
  boolean live;

  @Option(
      names = "--count",
      paramLabel = "N",
      description =
          "With --live: N real exchanges one after another (1-10, default 1), each after the"
              + " first with a fresh source port or echo identifier; shows every exchange and"
              + " details the first that disagrees or is not answered")
  @Nullable Integer count;

  @Option(
      names = "--live-timeout",
      paramLabel = "DURATION",
      description =
          "How long to watch for the live packet: 100ms-10s, e.g. 2s or 500ms (default 2s)")
  @Nullable String liveTimeout;

  @Option(
      names = "--allow-external",
      description =
          "With --live: let the real packet go to an address outside the cluster (no pod,"
              + " Service, node or node pod subnet has it); refused without it. The source's"
              + " agent must allow the address too (podpath-agent --probe-allow)")
  boolean allowExternal;

  @Mixin OutputOptions output;

  @Spec CommandSpec spec;

  @ParentCommand TopCommand top;

  @Override
  public Integer call() {
    TraceRequest request = request();
    TraceResult result;
    try (AggregatorConnection c = AggregatorConnection.open(top.global, spec.commandLine())) {
      result = c.call(s -> s.trace(request));
    }
    spec.commandLine()
        .getOut()
        .print(TraceRenderer.render(result, output.format, output.verbose, output.style()));
    spec.commandLine().getOut().flush();
    return TraceExit.of(result);
  }

  TraceRequest request() {
    Protocol p = protocol.value();
    if (p == Protocol.PROTOCOL_ICMP && (dstPort != 0 || srcPort != 0)) {
      throw new ParameterException(
          spec.commandLine(), "--dst-port/--src-port do not apply to --icmp");
    }
    if (dstPort < 0 || dstPort > 65535) {
      throw new ParameterException(
          spec.commandLine(), "--dst-port " + dstPort + " is not in 1-65535");
    }
    if (srcPort < 0 || srcPort > 65535) {
      throw new ParameterException(
          spec.commandLine(), "--src-port " + srcPort + " is not in 1-65535");
    }
    if (maxHops < 0 || maxHops > 16) {
      throw new ParameterException(spec.commandLine(), "--max-hops must be 1-16");
    }
    if (size != null && (size < TraceQuery.Sizing.MIN_SIZE || size > TraceQuery.Sizing.MAX_SIZE)) {
      throw new ParameterException(
          spec.commandLine(),
          "--size "
              + size
              + " is not in "
              + TraceQuery.Sizing.MIN_SIZE
              + "-"
              + TraceQuery.Sizing.MAX_SIZE
              + " (the IP total length in bytes, headers included)");
    }
    if (family != null && family != 4 && family != 6) {
      throw new ParameterException(spec.commandLine(), "--family must be 4 or 6, not " + family);
    }
    Endpoint src = endpoint(source, "SRC");
    if (ingressNode != null && !src.hasIp()) {
      throw new ParameterException(
          spec.commandLine(), "--ingress-node applies to SRC ip:ADDRESS only, not " + source);
    }
    if (ingressNode != null && !Dns1123.isSubdomain(ingressNode)) {
      throw new ParameterException(
          spec.commandLine(), "--ingress-node '" + ingressNode + "' is not a node name");
    }
    if (src.hasNode() && src.getNode().getPort() != 0) {
      throw new ParameterException(
          spec.commandLine(),
          "SRC "
              + source
              + ": a NodePort is a destination only; give node/"
              + src.getNode().getName());
    }
    return TraceRequest.newBuilder()
        .setSource(src)
        .setDestination(endpoint(destination, "DST"))
        .setProtocol(p)
        .setDstPort(dstPort)
        .setSrcPort(srcPort)
        .setMaxHops(maxHops)
        .setForwardOnly(forwardOnly)
        .setIncludeRaw(output.verbose)
        .setIncludeConntrackEntries(output.verbose)
        .setIpFamily(family == null ? 0 : family)
        .setSize(size == null ? 0 : size)
        .setAllowFragmentation(!dontFragment)
        .setIngressNode(ingressNode == null ? "" : ingressNode)
        .setLive(live)
        .setLiveTimeoutMillis(liveTimeoutMillis())
        .setLiveCount(liveCount())
        .setAllowExternal(allowExternal(live))
        .build();
  }

  private boolean allowExternal(boolean isLive) {
    if (allowExternal && !isLive) {
      throw new ParameterException(spec.commandLine(), "--allow-external applies with --live only");
    }
    return allowExternal;
  }

  private int liveCount() {
    if (count == null) {
      return 0;
    }
    if (!live) {
      throw new ParameterException(spec.commandLine(), "--count applies with --live only");
    }
    if (count < 1 || count > 10) {
      throw new ParameterException(
          spec.commandLine(), "--count " + count + " is not 1-10 (real exchanges per live trace)");
    }
    return count;
  }

  private int liveTimeoutMillis() {
    if (liveTimeout == null) {
      return 0;
    }
    if (!live) {
      throw new ParameterException(spec.commandLine(), "--live-timeout applies with --live only");
    }
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("([0-9]{1,5})(ms|s)").matcher(liveTimeout);
    long ms = m.matches() ? Long.parseLong(m.group(1)) * (m.group(2).equals("s") ? 1000 : 1) : -1;
    if (ms < 100 || ms > 10_000) {
      throw new ParameterException(
          spec.commandLine(),
          "--live-timeout '" + liveTimeout + "' is not a duration of 100ms-10s (e.g. 2s, 500ms)");
    }
    return (int) ms;
  }

  private Endpoint endpoint(String text, String what) {
    EndpointSpec e;
    try {
      e = Names.parse(text, top.global::defaultNamespace);
    } catch (IllegalArgumentException ex) {
      throw new ParameterException(spec.commandLine(), what + " " + ex.getMessage());
    }
    return EndpointProtos.toProto(e);
  }
}
