package io.podpath.aggregator.cli;

import io.podpath.aggregator.render.OutputFormat;
import io.podpath.aggregator.render.Style;
import picocli.CommandLine.Option;

/** -o (with dot and svg) and -v of {@code trace}; the other commands use {@link ReportOptions}. */
public final class OutputOptions {
  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      defaultValue = "text",
      description = "text, json, yaml, dot or svg (default ${DEFAULT-VALUE})")
  OutputFormat format = OutputFormat.text;

  @Option(
      names = {"-v", "--verbose"},
      description =
          "Add the raw evidence (flows, ofproto/trace text) and the conntrack entries that"
              + " match the packet on each node")
  boolean verbose;

  Style style() {
    return Style.detect(System.getenv(), Terminal.interactive());
  }
}
