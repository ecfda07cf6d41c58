package io.podpath.aggregator.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The planner and stitcher stay pure: no gRPC, fabric8, Vert.x or Netty in the trace package. */
class PurityTest {
  private static final List<String> FORBIDDEN =
      List.of("io.grpc", "io.fabric8", "io.vertx", "io.netty", "java.net.Socket", "java.net.http");

  @Test
  void tracePackageImportsNoIo() throws IOException {
    Path dir = Path.of("src/main/java/io/podpath/aggregator/trace");
    assertThat(dir).isDirectory();
    List<String> offences = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        for (String line : Files.readAllLines(f)) {
          String l = line.trim();
          if ((l.startsWith("import ") || l.contains(" new ") || l.contains("("))
              && FORBIDDEN.stream().anyMatch(l::contains)) {
            offences.add(f.getFileName() + ": " + l);
          }
        }
      }
    }
    assertThat(offences).isEmpty();
  }
}
