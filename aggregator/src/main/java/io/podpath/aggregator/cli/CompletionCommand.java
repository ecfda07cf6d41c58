package io.podpath.aggregator.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code podpath completion bash|zsh|fish}: a completion script for that shell. */
@Command(
    name = "completion",
    description = {
      "Prints a shell completion script.",
      "bash:  source <(podpath completion bash)",
      "zsh:   source <(podpath completion zsh)",
      "fish:  podpath completion fish > ~/.config/fish/completions/podpath.fish"
    },
    mixinStandardHelpOptions = true)
public final class CompletionCommand implements Callable<Integer> {
  /** The shells podpath writes completion for. */
  enum Shell {
    bash,
    zsh,
    fish
  }

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "SHELL",
      defaultValue = "bash",
      description = "bash, zsh or fish (default ${DEFAULT-VALUE})")
  Shell shell = Shell.bash;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    CommandLine top = spec.commandLine().getParent();
    String script =
        switch (shell) {
          // picocli's script serves both: under zsh it loads bashcompinit itself.
          case bash -> AutoComplete.bash("podpath", top);
          case zsh -> "#compdef podpath\n" + AutoComplete.bash("podpath", top);
          case fish -> FishCompletion.script("podpath", top.getCommandSpec());
        };
    spec.commandLine().getOut().print(script);
    spec.commandLine().getOut().flush();
    return ExitCodes.OK;
  }
}
