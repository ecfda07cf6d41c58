package io.podpath.aggregator.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** A fish completion script from the command model: subcommands, their options and values. */
final class FishCompletion {
  private FishCompletion() {}

  static String script(String name, CommandSpec top) {
    StringBuilder b = new StringBuilder("# fish completion for ").append(name).append('\n');
    b.append("complete -c ").append(name).append(" -f\n");
    for (OptionSpec o : top.options()) {
      option(b, name, "", o);
    }
    for (var e : top.subcommands().entrySet()) {
      CommandSpec sub = e.getValue().getCommandSpec();
      b.append("complete -c ")
          .append(name)
          .append(" -n __fish_use_subcommand -a ")
          .append(e.getKey())
          .append(" -d ")
          .append(quote(first(sub.usageMessage().description())))
          .append('\n');
      String when = " -n '__fish_seen_subcommand_from " + e.getKey() + "'";
      for (OptionSpec o : sub.options()) {
        option(b, name, when, o);
      }
      if (e.getKey().equals("completion")) {
        b.append("complete -c ").append(name).append(when).append(" -a 'bash zsh fish'\n");
      }
    }
    return b.toString();
  }

  private static void option(StringBuilder b, String name, String when, OptionSpec o) {
    b.append("complete -c ").append(name).append(when);
    for (String n : o.names()) {
      if (n.startsWith("--")) {
        b.append(" -l ").append(n.substring(2));
      } else if (n.startsWith("-") && n.length() == 2) {
        b.append(" -s ").append(n.substring(1));
      }
    }
    if (o.arity().max() > 0) {
      b.append(" -r");
      List<String> values = candidates(o);
      if (!values.isEmpty()) {
        b.append(" -a ").append(quote(String.join(" ", values)));
      } else if (o.type() == Path.class) {
        b.append(" -F");
      }
    }
    String d = first(o.description()).replace("${DEFAULT-VALUE}", String.valueOf(o.defaultValue()));
    b.append(" -d ").append(quote(d)).append('\n');
  }

  private static List<String> candidates(OptionSpec o) {
    List<String> out = new ArrayList<>();
    if (o.completionCandidates() != null) {
      o.completionCandidates().forEach(out::add);
    }
    return out;
  }

  private static String first(String[] lines) {
    return lines.length == 0 ? "" : lines[0];
  }

  /** fish single quotes: only \ and ' are special inside. */
  static String quote(String s) {
    return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }
}
