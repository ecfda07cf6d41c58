package io.podpath.aggregator.cli;

import io.podpath.aggregator.render.OutputFormat;
import io.podpath.aggregator.render.Style;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** -o and -v of the commands that draw no graph (inspect, sweep, status). */
public final class ReportOptions {
  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      defaultValue = "text",
      description = "text, json or yaml (default ${DEFAULT-VALUE})")
  OutputFormat format = OutputFormat.text;

  @Option(
      names = {"-v", "--verbose"},
      description = "Everything: every check and its evidence, every route attribute")
  boolean verbose;

  /** For a command that draws no graph: {@code -o dot|svg} is a usage error naming the formats. */
  void refuseDot(CommandSpec spec) {
    if (format == OutputFormat.dot || format == OutputFormat.svg) {
      throw new ParameterException(
          spec.commandLine(), spec.name() + " prints text, json or yaml, not " + format);
    }
  }

  Style style() {
    return Style.detect(System.getenv(), Terminal.interactive());
  }
}
