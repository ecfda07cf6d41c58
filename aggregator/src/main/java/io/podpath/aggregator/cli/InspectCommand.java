package io.podpath.aggregator.cli;

import io.podpath.aggregator.render.InspectRenderer;
import io.podpath.aggregator.trace.EndpointSpec;
import io.podpath.proto.v1.InspectRequest;
import io.podpath.proto.v1.PodInspection;
import io.podpath.proto.v1.PodRef;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code podpath inspect NS/POD}: the pod's wiring on its node, checked both ways. */
@Command(
    name = "inspect",
    description =
        "Shows how a pod is wired on its node: netns, eth0, host veth, OVS port, MAC, IPs, MTU.",
    mixinStandardHelpOptions = true)
public final class InspectCommand implements Callable<Integer> {
  @SuppressWarnings("NullAway.Init") // required positional: picocli rejects argv without it
  @Parameters(
      index = "0",
      paramLabel = "[NAMESPACE/]POD",
      description = "The pod; without a namespace, in -n NS or the kubeconfig's namespace")
  String pod;

  @Mixin ReportOptions output;

  @Spec CommandSpec spec;

  @ParentCommand TopCommand top;

  @Override
  public Integer call() {
    output.refuseDot(spec);
    EndpointSpec e;
    try {
      e = Names.parse(pod, top.global::defaultNamespace);
    } catch (IllegalArgumentException ex) {
      throw new ParameterException(spec.commandLine(), "NAMESPACE/POD " + ex.getMessage());
    }
    if (!(e instanceof EndpointSpec.Pod p)) {
      throw new ParameterException(
          spec.commandLine(),
          "inspect takes a pod ([NAMESPACE/]POD), not " + e + ": trace it instead");
    }
    PodInspection result;
    try (AggregatorConnection c = AggregatorConnection.open(top.global, spec.commandLine())) {
      result =
          c.call(
              s ->
                  s.inspect(
                      InspectRequest.newBuilder()
                          .setPod(
                              PodRef.newBuilder()
                                  .setNamespace(p.ref().namespace())
                                  .setName(p.ref().name()))
                          .build()));
    }
    spec.commandLine()
        .getOut()
        .print(InspectRenderer.render(result, output.format, output.verbose, output.style()));
    spec.commandLine().getOut().flush();
    return InspectRenderer.hasErrors(result) ? ExitCodes.PROBLEM : ExitCodes.OK;
  }
}
