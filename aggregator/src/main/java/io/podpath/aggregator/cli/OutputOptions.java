package io.podpath.aggregator.cli;

import io.podpath.aggregator.render.OutputFormat;
import io.podpath.aggregator.render.Style;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** -o and -v, shared by the commands that print results. */
public final class OutputOptions {
  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      defaultValue = "text",
      description = "text, json, yaml, dot or svg (trace only; default ${DEFAULT-VALUE})")
  OutputFormat format;

  @Option(
      names = {"-v", "--verbose"},
      description = "Add the raw evidence (flows, ofproto/trace text)")
  boolean verbose;

  /** For a command that draws no graph: {@code -o dot|svg} is a usage error naming the formats. */
  void refuseDot(CommandSpec spec) {
    if (format == OutputFormat.dot || format == OutputFormat.svg) {
      throw new ParameterException(spec.commandLine(), spec.name() + " prints text, json or yaml");
    }
  }

  Style style() {
    return Style.detect(System.getenv(), System.console() != null);
  }
}
