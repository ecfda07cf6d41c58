package io.podpath.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What ships in the agent's shaded jar. Its footprint is mostly loaded classes (docs/benchmarks.md,
 * B4): Vert.x and the second (unshaded) Netty it brings cost the agent ~1,000 classes and ~8 MiB
 * RSS, and /metrics is served by the JDK's HTTP server instead. gRPC keeps its own shaded Netty.
 */
class AgentJarTest {
  static final Path AGENT_JAR = Chart.ROOT.resolve("agent/target/podpath-agent.jar");

  /** Entry prefixes that must not come back into the agent (the aggregator keeps Vert.x). */
  static final List<String> FORBIDDEN = List.of("io/vertx/", "io/netty/");

  static List<String> offending(JarFile jar) {
    return jar.stream()
        .map(ZipEntry::getName)
        .filter(n -> FORBIDDEN.stream().anyMatch(n::startsWith))
        .limit(20)
        .toList();
  }

  @Test
  void theAgentJarHasNoVertxAndOneNetty() throws IOException {
    assertThat(Files.isRegularFile(AGENT_JAR))
        .as(AGENT_JAR + " is missing: build the agent first (mvn -pl agent package, or make build)")
        .isTrue();
    try (JarFile jar = new JarFile(AGENT_JAR.toFile())) {
      assertThat(jar.getEntry("io/podpath/agent/server/Main.class"))
          .as("the agent's own classes")
          .isNotNull();
      assertThat(
              jar.stream().anyMatch(e -> e.getName().startsWith("io/grpc/netty/shaded/io/netty/")))
          .as("gRPC's shaded Netty")
          .isTrue();
      assertThat(offending(jar)).as("Vert.x or unshaded Netty classes in " + AGENT_JAR).isEmpty();
    }
  }

  @Test
  void theRuleCatchesVertxAndAPlainNetty(@TempDir Path dir) throws IOException {
    Path fake = dir.resolve("fake.jar");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(fake))) {
      for (String name :
          List.of(
              "io/vertx/core/Vertx.class",
              "io/netty/channel/Channel.class",
              "io/grpc/netty/shaded/io/netty/channel/Channel.class",
              "io/podpath/agent/server/Main.class")) {
        out.putNextEntry(new ZipEntry(name));
        out.closeEntry();
      }
    }
    try (JarFile jar = new JarFile(fake.toFile())) {
      assertThat(offending(jar))
          .containsExactly("io/vertx/core/Vertx.class", "io/netty/channel/Channel.class");
    }
  }
}
