package io.podpath.aggregator.cli;

import io.grpc.StatusRuntimeException;
import io.podpath.aggregator.render.SweepRenderer;
import io.podpath.proto.v1.SweepRequest;
import io.podpath.proto.v1.SweepResult;
import io.podpath.proto.v1.SweepUpdate;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code podpath sweep}: runs the health checks now, with a progress bar on a terminal. */
@Command(
    name = "sweep",
    description =
        "Runs the health checks on every node (or the named ones) now and shows the problems"
            + " first, one line per healthy node (-v: every check). Exit 0 when every check is OK"
            + " or not applicable, 1 otherwise.",
    mixinStandardHelpOptions = true)
public final class SweepCommand implements Callable<Integer> {
  @Option(names = "--node", paramLabel = "NODE", description = "Only this node (repeatable)")
  List<String> nodes = new ArrayList<>();

  @Option(names = "--check", paramLabel = "ID", description = "Only this check (repeatable)")
  List<String> checks = new ArrayList<>();

  @Mixin ReportOptions output;

  @Spec CommandSpec spec;

  @ParentCommand TopCommand top;

  @Override
  public Integer call() {
    output.refuseDot(spec);
    boolean tty = Terminal.interactive();
    PrintWriter err = spec.commandLine().getErr();
    SweepResult result = null;
    try (AggregatorConnection c = AggregatorConnection.open(top.global, spec.commandLine())) {
      try {
        Iterator<SweepUpdate> it =
            c.stub()
                .sweep(SweepRequest.newBuilder().addAllNodes(nodes).addAllCheckIds(checks).build());
        while (it.hasNext()) {
          SweepUpdate u = it.next();
          if (tty) {
            err.print("\r" + bar(u.getNodesDone(), u.getNodesTotal()));
            err.flush();
          }
          if (u.hasResult()) {
            result = u.getResult();
          }
        }
      } catch (StatusRuntimeException e) {
        if (tty) {
          err.print("\r" + " ".repeat(60) + "\r");
        }
        throw c.failure(e);
      }
    }
    if (tty) {
      err.print("\r" + " ".repeat(60) + "\r");
      err.flush();
    }
    if (result == null) {
      throw new CliFailure(
          ExitCodes.UNREACHABLE,
          "the aggregator ended the sweep without a result: its log says why; try again");
    }
    return print(spec, result, output);
  }

  static int print(CommandSpec spec, SweepResult r, ReportOptions output) {
    spec.commandLine()
        .getOut()
        .print(
            SweepRenderer.render(r, output.format.name(), output.verbose, output.style().color()));
    spec.commandLine().getOut().flush();
    return SweepRenderer.healthy(r) ? ExitCodes.OK : ExitCodes.PROBLEM;
  }

  static String bar(int done, int total) {
    int width = 30;
    int filled = total == 0 ? width : done * width / total;
    return "["
        + "#".repeat(filled)
        + ".".repeat(width - filled)
        + "] "
        + done
        + "/"
        + total
        + " nodes";
  }
}
