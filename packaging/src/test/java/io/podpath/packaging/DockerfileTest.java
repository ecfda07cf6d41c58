package io.podpath.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Dockerfile.agent and Dockerfile.aggregator: linted, pinned, multi-stage, least privilege. */
class DockerfileTest {
  private static final Path LINTER =
      Path.of(
          System.getProperty(
              "podpath.dockerfilelint", "target/dockerfilelint/node_modules/.bin/dockerfilelint"));
  private static final Pattern FROM = Pattern.compile("(?m)^FROM\\s+(\\S+)(?:\\s+AS\\s+(\\S+))?");
  private static final Pattern PINNED =
      Pattern.compile("[a-z0-9./-]+:[A-Za-z0-9._-]+@sha256:[a-f0-9]{64}");

  record Lint(int exit, JsonNode report) {}

  /** dockerfilelint is installed by packaging/pom.xml (profile install-dockerfilelint). */
  static Lint lint(Path dockerfile) throws Exception {
    assertThat(LINTER)
        .as("dockerfilelint missing: run `mvn -pl packaging generate-test-resources` once online")
        .isExecutable();
    Process p =
        new ProcessBuilder(LINTER.toString(), "-o", "json", dockerfile.toString())
            .redirectErrorStream(true)
            .start();
    byte[] out = p.getInputStream().readNBytes(1 << 20);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("dockerfilelint finished").isTrue();
    String text = new String(out, StandardCharsets.UTF_8);
    return new Lint(p.exitValue(), new ObjectMapper().readTree(text.substring(text.indexOf('{'))));
  }

  private static String read(String name) throws IOException {
    return Files.readString(Chart.ROOT.resolve(name));
  }

  @ParameterizedTest
  @ValueSource(strings = {"Dockerfile.agent", "Dockerfile.aggregator"})
  void dockerfilelintFindsNothing(String name) throws Exception {
    Lint lint = lint(Chart.ROOT.resolve(name));
    assertThat(lint.report().path("totalIssues").asInt()).as(lint.report().toString()).isZero();
    assertThat(lint.exit()).isZero();
  }

  @Test
  void theLinterReallyLints(@TempDir Path dir) throws Exception {
    Path bad = dir.resolve("Dockerfile");
    Files.writeString(bad, "FROM ubuntu\nRUN apt-get install curl\n");
    Lint lint = lint(bad);
    assertThat(lint.exit()).isNotZero();
    assertThat(lint.report().path("totalIssues").asInt()).isGreaterThanOrEqualTo(2);
  }

  @ParameterizedTest
  @ValueSource(strings = {"Dockerfile.agent", "Dockerfile.aggregator"})
  void dependenciesAreResolvedInALayerBeforeTheSourcesAreCopied(String name) throws IOException {
    String text = read(name);
    int goOffline = text.indexOf("dependency:go-offline");
    int sources = text.indexOf("COPY . .");
    assertThat(goOffline).isPositive().isLessThan(sources);
    // Every module's POM is there for the reactor, and nothing else before the dependencies.
    for (String pom :
        List.of(
            "pom.xml",
            "proto/",
            "tls/",
            "testkit/",
            "agent/",
            "aggregator/",
            "bench/",
            "packaging/")) {
      assertThat(text.substring(0, goOffline)).contains(pom.endsWith("/") ? pom + "pom.xml" : pom);
    }
    assertThat(text.substring(0, goOffline)).doesNotContain("src/");
  }

  @ParameterizedTest
  @ValueSource(strings = {"Dockerfile.agent", "Dockerfile.aggregator"})
  void multiStageWithEveryBaseImagePinnedByDigest(String name) throws IOException {
    String text = read(name);
    Matcher m = FROM.matcher(text);
    List<String> images = new java.util.ArrayList<>();
    List<String> stages = new java.util.ArrayList<>();
    while (m.find()) {
      images.add(m.group(1));
      stages.add(m.group(2));
    }
    assertThat(images).hasSize(2).allMatch(i -> PINNED.matcher(i).matches());
    assertThat(images.get(0)).startsWith("maven:3.9").contains("eclipse-temurin-17");
    assertThat(images.get(1)).startsWith("eclipse-temurin:17-jre@");
    assertThat(stages.get(0)).isEqualTo("build");
    assertThat(text).contains("COPY --from=build ").contains("imagetools inspect");
    assertThat(text).containsPattern("(?m)^ENTRYPOINT \\[\"java\", \"-jar\", ");
  }

  @Test
  void bothImagesUseTheSameBases() throws IOException {
    List<String> agent =
        FROM.matcher(read("Dockerfile.agent")).results().map(r -> r.group(1)).toList();
    List<String> aggregator =
        FROM.matcher(read("Dockerfile.aggregator")).results().map(r -> r.group(1)).toList();
    assertThat(agent).isEqualTo(aggregator);
  }

  @Test
  void aggregatorRunsAsANumericNonRootUser() throws IOException {
    List<String> users =
        Pattern.compile("(?m)^USER\\s+(\\S+)")
            .matcher(read("Dockerfile.aggregator"))
            .results()
            .map(r -> r.group(1))
            .toList();
    assertThat(users).isNotEmpty();
    String last = users.get(users.size() - 1);
    assertThat(last).matches("[1-9][0-9]*:[1-9][0-9]*");
    // Same id as the chart's runAsUser, so runAsNonRoot can be verified by the kubelet.
    assertThat(last).isEqualTo("65532:65532");
  }

  @Test
  void agentImageCarriesTheNodeToolsItsChecksRun() throws IOException {
    String text = read("Dockerfile.agent");
    for (String pkg :
        List.of(
            "iproute2",
            "iptables",
            "conntrack",
            "ipvsadm",
            "nftables",
            "ethtool",
            "iputils-ping",
            "openvswitch-common",
            "openvswitch-switch",
            "ovn-common")) {
      assertThat(text).containsPattern("(?m)^\\s+" + Pattern.quote(pkg) + " \\\\$");
    }
    assertThat(text).contains("--no-install-recommends").contains("rm -rf /var/lib/apt/lists/*");
    assertThat(text).contains("COPY --from=build /src/agent/target/podpath-agent.jar");
  }
}
