package io.podpath.aggregator.cli;

import io.podpath.common.BuildVersion;
import java.io.PrintWriter;
import java.util.List;
import java.util.function.Supplier;
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
          ServeCommand::new,
          CompletionCommand::new);

  private Commands() {}

  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new TopCommand());
    for (Supplier<Object> s : SUBCOMMANDS) {
      cl.addSubcommand(s.get());
    }
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setExecutionExceptionHandler(Commands::onError);
    cl.setParameterExceptionHandler(Commands::onUsageError);
    return cl;
  }

  /** A usage error: the problem and one line saying where the usage is, not the whole of it. */
  private static int onUsageError(CommandLine.ParameterException e, String[] args) {
    CommandLine cmd = e.getCommandLine();
    PrintWriter err = cmd.getErr();
    err.println("podpath: " + e.getMessage());
    if (e instanceof CommandLine.UnmatchedArgumentException u) {
      List<String> suggestions = u.getSuggestions();
      if (!suggestions.isEmpty()) {
        err.println("Did you mean: " + String.join(" or ", suggestions) + "?");
      }
    }
    err.println("See '" + cmd.getCommandSpec().qualifiedName() + " --help' for usage.");
    err.flush();
    return ExitCodes.USAGE;
  }

  private static int onError(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
    PrintWriter err = cmd.getErr();
    boolean verbose = verbose(parsed);
    int code;
    if (e instanceof CliFailure f) {
      err.println("podpath: " + f.getMessage());
      code = f.exitCode();
      if (verbose && f.getCause() != null) {
        f.getCause().printStackTrace(err);
      }
    } else {
      // A bug: say so plainly; the stack trace is for -v (and the bug report).
      err.println(
          "podpath: internal error ("
              + e.getClass().getSimpleName()
              + (e.getMessage() == null ? "" : ": " + e.getMessage())
              + "). Run again with -v for the details and report it");
      code = ExitCodes.UNREACHABLE;
      if (verbose) {
        e.printStackTrace(err);
      }
    }
    err.flush();
    return code;
  }

  private static boolean verbose(CommandLine.ParseResult parsed) {
    for (CommandLine c : parsed.asCommandLineList()) {
      CommandLine.ParseResult r = c.getParseResult();
      if (r != null && (r.hasMatchedOption("-v") || r.hasMatchedOption("--verbose"))) {
        return true;
      }
    }
    return false;
  }

  /** The version from the Maven build. */
  public static final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"podpath " + BuildVersion.get()};
    }
  }
}
