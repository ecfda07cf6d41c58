package io.podpath.aggregator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@link Commands#forArgs}: a run naming one subcommand builds only that one (picocli's start-up
 * cost is per registered command), and nothing a user sees differs from the whole tree.
 */
class CommandsTest {

  @Test
  void theNamesAreTheCommandsOwn() {
    assertThat(Commands.commandLine().getSubcommands().keySet())
        .containsExactlyElementsOf(Commands.SUBCOMMANDS);
  }

  @Test
  void aRunNamingOneSubcommandBuildsOnlyThatOne() {
    assertThat(
            Commands.forArgs(
                    "--aggregator", "127.0.0.1:7400", "trace", "a", "b", "--dst-port", "80")
                .getSubcommands()
                .keySet())
        .containsExactly("trace");
    assertThat(Commands.forArgs("sweep", "--check", "mtu").getSubcommands().keySet())
        .containsExactly("sweep");
  }

  @Test
  void helpCompletionAndAmbiguousRunsGetTheWholeTree() {
    for (String[] args :
        new String[][] {
          {"--help"}, {"--version"}, {"completion", "bash"}, {"trace", "status", "sweep"}, {}
        }) {
      assertThat(Commands.forArgs(args).getSubcommands().keySet())
          .as(String.join(" ", args))
          .containsExactlyElementsOf(Commands.SUBCOMMANDS);
    }
  }

  record Run(int exit, String out, String err) {}

  private static Run run(CommandLine cl, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int exit = cl.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  @Test
  void usageErrorsAndHelpReadTheSameAsWithTheWholeTree() {
    String[][] cases = {
      {"trace"},
      {"trace", "a"},
      {"trace", "a", "b", "--dst-port", "x"},
      {"trace", "a", "b", "sweeep"},
      {"--no-such-flag", "trace", "a", "b"},
      {"trace", "--help"},
      {"inspect", "--help"},
      {"status", "--bogus"},
      {"--context", "trace"},
    };
    for (String[] args : cases) {
      Run narrowed = run(Commands.forArgs(args), args);
      Run whole = run(Commands.commandLine(), args);
      assertThat(narrowed).as(String.join(" ", args)).isEqualTo(whole);
      assertThat(narrowed.out() + narrowed.err()).as(String.join(" ", args)).isNotEmpty();
    }
  }
}
