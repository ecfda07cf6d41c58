package io.podpath.aggregator.cli;

import io.podpath.common.BuildVersion;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.IVersionProvider;

/** The one place where subcommands are registered and errors become exit codes. */
public final class Commands {
  /**
   * Every subcommand of {@code podpath} by its name, in help order. Add new ones here and in {@link
   * #command} (a test holds the names equal to the commands' own).
   */
  static final List<String> SUBCOMMANDS =
      List.of("trace", "inspect", "sweep", "status", "serve", "completion");

  /**
   * A new command object; a switch, not suppliers, so that unused command classes stay unloaded.
   */
  private static Object command(String name) {
    return switch (name) {
      case "trace" -> new TraceCommand();
      case "inspect" -> new InspectCommand();
      case "sweep" -> new SweepCommand();
      case "status" -> new StatusCommand();
      case "serve" -> new ServeCommand();
      case "completion" -> new CompletionCommand();
      default -> throw new IllegalArgumentException("no subcommand " + name);
    };
  }

  private Commands() {}

  /** The whole command tree: help, completion and anything {@link #forArgs} cannot narrow. */
  public static CommandLine commandLine() {
    return build(SUBCOMMANDS);
  }

  /**
   * The command line to execute {@code args} with. Picocli reads every registered command's
   * annotations up front, a large share of a one-shot CLI's start-up, so when exactly one
   * subcommand name appears in {@code args} only that one is registered. Anything else gets the
   * whole tree, and so does a usage error met with one command: it is executed again with the whole
   * tree, whose error and did-you-mean name every command.
   */
  public static CommandLine forArgs(String... args) {
    String only = null;
    for (String a : args) {
      if (SUBCOMMANDS.contains(a)) {
        if (only != null && !only.equals(a)) {
          return commandLine();
        }
        only = a;
      }
    }
    if (only == null || only.equals("completion")) {
      return commandLine();
    }
    CommandLine narrow = build(List.of(only));
    narrow.setParameterExceptionHandler(
        (e, a) -> {
          CommandLine all = commandLine();
          all.setOut(narrow.getOut());
          all.setErr(narrow.getErr());
          return all.execute(a);
        });
    return narrow;
  }

  private static CommandLine build(List<String> names) {
    CommandLine cl = new CommandLine(new TopCommand());
    for (String n : names) {
      cl.addSubcommand(command(n));
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
