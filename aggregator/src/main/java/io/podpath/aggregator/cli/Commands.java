package io.podpath.aggregator.cli;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.grpc.StatusRuntimeException;
import io.podpath.aggregator.connect.AggregatorUnreachableException;
import java.util.List;
import java.util.function.Supplier;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.IVersionProvider;

/** The one place where subcommands are registered and errors become exit codes. */
public final class Commands {
  /** Every subcommand of {@code podpath}, in help order. Add new ones here. */
  static final List<Supplier<Object>> SUBCOMMANDS =
      List.of(
          TraceCommand::new,
          InspectCommand::new,
          SweepCommand::new,
          StatusCommand::new,
          ServeCommand::new);

  private Commands() {}

  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new TopCommand());
    for (Supplier<Object> s : SUBCOMMANDS) {
      cl.addSubcommand(s.get());
    }
    CommandLine completion = new CommandLine(new AutoComplete.GenerateCompletion());
    completion
        .getCommandSpec()
        .usageMessage()
        .description("Prints a bash/zsh completion script: source <(podpath completion)");
    cl.addSubcommand("completion", completion);
    cl.setExecutionExceptionHandler(Commands::onError);
    return cl;
  }

  private static int onError(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
    if (e instanceof StatusRuntimeException sre) {
      var s = sre.getStatus();
      String why = s.getDescription() == null ? "" : ": " + s.getDescription();
      if (s.getCause() != null && s.getCause().getMessage() != null) {
        why += " (" + s.getCause().getMessage() + ")";
      }
      String what =
          ExitCodes.of(s.getCode()) == ExitCodes.UNREACHABLE ? "cannot complete the call: " : "";
      cmd.getErr().println("podpath: " + what + s.getCode() + why);
      cmd.getErr().flush();
      return ExitCodes.of(s.getCode());
    }
    if (e instanceof AggregatorConnection.Unreachable
        || e instanceof AggregatorUnreachableException
        || e instanceof KubernetesClientException) {
      cmd.getErr().println("podpath: " + e.getMessage());
      cmd.getErr().flush();
      return ExitCodes.UNREACHABLE;
    }
    cmd.getErr().println("podpath: " + e);
    cmd.getErr().flush();
    return ExitCodes.UNREACHABLE;
  }

  /** The version from the jar manifest, when there is one. */
  public static final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Commands.class.getPackage().getImplementationVersion();
      return new String[] {"podpath " + (v == null ? "dev" : v)};
    }
  }
}
