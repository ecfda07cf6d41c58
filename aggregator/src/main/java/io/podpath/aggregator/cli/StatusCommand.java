package io.podpath.aggregator.cli;

import io.podpath.proto.v1.StatusRequest;
import io.podpath.proto.v1.SweepResult;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code podpath status}: the last sweep's result, as the aggregator keeps it. */
@Command(
    name = "status",
    description =
        "Shows the result of the last full sweep (the aggregator runs one at start-up and then"
            + " periodically; a narrowed 'sweep --node/--check' does not replace it). Exit 0 when"
            + " every check was OK or not applicable, 1 otherwise, 5 before the first full sweep"
            + " has finished.",
    mixinStandardHelpOptions = true)
public final class StatusCommand implements Callable<Integer> {
  @Mixin ReportOptions output;

  @Spec CommandSpec spec;

  @ParentCommand TopCommand top;

  @Override
  public Integer call() {
    output.refuseDot(spec);
    SweepResult r;
    try (AggregatorConnection c = AggregatorConnection.open(top.global, spec.commandLine())) {
      r = c.call(s -> s.status(StatusRequest.getDefaultInstance()));
    }
    return SweepCommand.print(spec, r, output);
  }
}
