package io.podpath.aggregator.cli;

import io.podpath.aggregator.api.EndpointProtos;
import io.podpath.aggregator.render.TraceRenderer;
import io.podpath.aggregator.trace.EndpointSpec;
import io.podpath.proto.v1.Endpoint;
import io.podpath.proto.v1.Protocol;
import io.podpath.proto.v1.TraceRequest;
import io.podpath.proto.v1.TraceResult;
import java.util.concurrent.Callable;
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
      "SRC/DST: POD, NAMESPACE/POD, svc/NAME, svc/NAMESPACE/NAME or ip:ADDRESS; a name"
          + " without a namespace is in -n NS, else the kubeconfig context's namespace.",
      "Exit 0 when every forward verdict is DELIVERED, 1 otherwise, 2 on usage errors,"
          + " 3 when podpath cannot reach the aggregator or an agent, 4 when a pod or Service"
          + " does not exist, 5 when it cannot be traced yet (see README, Exit codes)."
    },
    mixinStandardHelpOptions = true)
public final class TraceCommand implements Callable<Integer> {
  @Parameters(
      index = "0",
      paramLabel = "SRC",
      description = "[NAMESPACE/]POD or ip:ADDRESS of a pod")
  String source;

  @Parameters(
      index = "1",
      paramLabel = "DST",
      description = "[NAMESPACE/]POD, svc/[NAMESPACE/]NAME or ip:ADDRESS")
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
    return TraceRequest.newBuilder()
        .setSource(endpoint(source, "SRC"))
        .setDestination(endpoint(destination, "DST"))
        .setProtocol(p)
        .setDstPort(dstPort)
        .setSrcPort(srcPort)
        .setMaxHops(maxHops)
        .setForwardOnly(forwardOnly)
        .setIncludeRaw(output.verbose)
        .build();
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
