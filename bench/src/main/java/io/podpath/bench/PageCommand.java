package io.podpath.bench;

import io.podpath.testkit.Chromium;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * B6: opens the aggregator's health page in headless Chromium {@code --runs} times (a fresh load
 * each time) and prints one CSV row per run: the time from navigation start until the grid was
 * drawn (the page's own {@code performance.now()} at that point), the nodes it shows and the rows
 * in the DOM (the grid is virtualised).
 */
@Command(name = "page", description = "Time the web page's health grid; print CSV rows")
public final class PageCommand implements Callable<Integer> {
  @Option(names = "--url", required = true, description = "e.g. http://127.0.0.1:7590/#health")
  String url;

  @Option(names = "--runs", defaultValue = "5")
  int runs;

  @Option(names = "--timeout-s", defaultValue = "60")
  int timeoutSeconds;

  @Override
  public Integer call() throws Exception {
    Path profile = Files.createTempDirectory("podpath-b6-");
    System.out.println("run,rendered_ms,nodes,dom_rows");
    try (Chromium c = new Chromium(profile.resolve("profile"))) {
      for (int i = 1; i <= runs; i++) {
        c.navigate("about:blank");
        c.await("location.href === 'about:blank'", Duration.ofSeconds(timeoutSeconds));
        c.navigate(url);
        c.await("document.body.dataset.health === 'ready'", Duration.ofSeconds(timeoutSeconds));
        System.out.printf(
            "%d,%s,%s,%d%n",
            i,
            c.text("document.body.dataset.renderedMs"),
            c.text("document.getElementById('sweep-time').textContent.match(/\\((\\d+) nodes/)[1]"),
            c.eval("document.querySelectorAll('#grid .grid-row').length").asInt());
      }
    }
    return 0;
  }
}
