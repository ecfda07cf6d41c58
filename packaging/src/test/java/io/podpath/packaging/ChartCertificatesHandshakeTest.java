package io.podpath.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chart's generated certificates, used exactly as the chart wires them: the agent's server
 * requires the client name `podpath-aggregator`, the aggregator pins the server name
 * `podpath-agent` while dialling an IP. A real handshake over loopback.
 */
class ChartCertificatesHandshakeTest {
  @TempDir Path dir;

  private TlsFiles write(JsonNode secret, String name) throws Exception {
    Path d = Files.createDirectories(dir.resolve(name));
    for (String key : List.of("tls.crt", "tls.key", "ca.crt")) {
      Files.write(
          d.resolve(key), Base64.getDecoder().decode(secret.path("data").path(key).asText()));
    }
    return new TlsFiles(d.resolve("tls.crt"), d.resolve("tls.key"), d.resolve("ca.crt"));
  }

  @Test
  void agentAndAggregatorCertificatesShakeHands() throws Exception {
    Chart chart = Chart.defaults();
    TlsFiles agent = write(chart.get("Secret", "podpath-agent-tls"), "agent");
    TlsFiles aggregator = write(chart.get("Secret", "podpath-aggregator-tls"), "aggregator");
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
    // Another agent's certificate (same CA) must not be able to call an agent.
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
}
