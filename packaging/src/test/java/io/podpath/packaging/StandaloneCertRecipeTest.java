package io.podpath.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.podpath.tls.PodpathTls;
import io.podpath.tls.TlsFiles;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/standalone.md's openssl recipe for agents run by hand, run as written (bash: it uses process
 * substitution), then the files it makes used with the flags the doc gives: the agent's server
 * requires client name podpath-aggregator, the aggregator pins server name podpath-agent. A real
 * mTLS handshake over loopback.
 */
class StandaloneCertRecipeTest {
  @TempDir Path dir;

  static String recipe() throws Exception {
    String doc = Files.readString(Chart.ROOT.resolve("docs/standalone.md"));
    int section = doc.indexOf("### Certificates with openssl");
    assertThat(section).as("the openssl section of docs/standalone.md").isNotNegative();
    int start = doc.indexOf("```sh\n", section) + "```sh\n".length();
    return doc.substring(start, doc.indexOf("```", start));
  }

  @Test
  void theOpensslRecipeMakesCertificatesThatShakeHands() throws Exception {
    Files.writeString(dir.resolve("recipe.sh"), "set -eu\n" + recipe());
    Process p =
        new ProcessBuilder("bash", "recipe.sh")
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("recipe.log").toFile())
            .start();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("recipe finished within 120 s").isTrue();
    String log = Files.readString(dir.resolve("recipe.log"), StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(log).isZero();

    Path ca = dir.resolve("ca.crt");
    TlsFiles agent = new TlsFiles(dir.resolve("agent.crt"), dir.resolve("agent.key"), ca);
    TlsFiles aggregator =
        new TlsFiles(dir.resolve("aggregator.crt"), dir.resolve("aggregator.key"), ca);
    Server server =
        NettyServerBuilder.forAddress(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                PodpathTls.serverCredentials(agent, Optional.of("podpath-aggregator")))
            .addService(new HealthStatusManager().getHealthService())
            .build()
            .start();
    String target = "127.0.0.1:" + server.getPort();
    ManagedChannel good =
        Grpc.newChannelBuilder(
                target, PodpathTls.channelCredentials(aggregator, Optional.of("podpath-agent")))
            .build();
    // The agent's certificate is a server certificate: it cannot call another agent.
    ManagedChannel agentAsClient =
        Grpc.newChannelBuilder(
                target, PodpathTls.channelCredentials(agent, Optional.of("podpath-agent")))
            .build();
    try {
      assertThat(
              HealthGrpc.newBlockingStub(good)
                  .withDeadlineAfter(10, TimeUnit.SECONDS)
                  .check(HealthCheckRequest.getDefaultInstance())
                  .getStatus())
          .isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
      assertThatThrownBy(
              () ->
                  HealthGrpc.newBlockingStub(agentAsClient)
                      .withDeadlineAfter(10, TimeUnit.SECONDS)
                      .check(HealthCheckRequest.getDefaultInstance()))
          .isInstanceOf(StatusRuntimeException.class);
    } finally {
      good.shutdownNow();
      agentAsClient.shutdownNow();
      server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void theRecipeNamesTheFilesAndFlagsTheDocThenPasses() throws Exception {
    String doc = Files.readString(Chart.ROOT.resolve("docs/standalone.md"));
    for (String flag :
        List.of(
            "--tls-cert agent.crt --tls-key agent.key --tls-ca ca.crt --tls-client-name",
            "--agent-server-name podpath-agent")) {
      assertThat(doc.replaceAll("\\s+", " ")).contains(flag);
    }
    assertThat(recipe()).contains("-out agent.key").contains("-out aggregator.key");
  }
}
