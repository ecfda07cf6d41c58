package io.podpath.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** One CSV row ({@link Exposition#csvHeader()}) for a recorded scrape: its bytes and series. */
@Command(name = "exposition", description = "Size and series of a recorded /metrics scrape")
public final class ExpositionCommand implements Callable<Integer> {
  @Option(names = "--label", required = true)
  String label;

  @Option(names = "--header", description = "Print the CSV header first")
  boolean header;

  @Parameters(arity = "1")
  Path scrape;

  @Override
  public Integer call() throws IOException {
    if (header) {
      System.out.println(Exposition.csvHeader());
    }
    System.out.println(Exposition.of(Files.readString(scrape)).csv(label));
    return 0;
  }
}
