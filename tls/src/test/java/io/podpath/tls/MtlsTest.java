package io.podpath.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real gRPC server (health service) over loopback with podpath's mTLS. */
class MtlsTest {
  @TempDir Path dir;

  private TestPki.Issued ca;
  private TlsFiles serverFiles;
  private Server server;
  private final List<ManagedChannel> channels = new ArrayList<>();

  @BeforeEach
  void startServer() throws Exception {
    ca = TestPki.ca("podpath-ca", TestPki.KeyType.RSA);
    TestPki.Issued agent =
        TestPki.leaf(
            ca, "agent", TestPki.KeyType.RSA, TestPki.Usage.SERVER, "podpath-agent", "127.0.0.1");
    serverFiles = TestPki.write(dir.resolve("server"), agent, List.of(ca.cert()));
    // Check on every handshake so the test needs no sleep; production throttles to seconds.
    ReloadingTlsMaterial material =
        new ReloadingTlsMaterial(serverFiles, Duration.ZERO, Clock.systemUTC());
    HealthStatusManager health = new HealthStatusManager();
    server =
        NettyServerBuilder.forAddress(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                PodpathTls.serverCredentials(material, Optional.empty()))
            .addService(health.getHealthService())
            .build()
            .start();
  }

  @AfterEach
  void stop() throws Exception {
    for (ManagedChannel c : channels) {
      c.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  private HealthCheckResponse.ServingStatus check(ChannelCredentials credentials) {
    ManagedChannel channel =
        Grpc.newChannelBuilder("127.0.0.1:" + server.getPort(), credentials).build();
    channels.add(channel);
    return HealthGrpc.newBlockingStub(channel)
        .withDeadlineAfter(10, TimeUnit.SECONDS)
        .check(HealthCheckRequest.getDefaultInstance())
        .getStatus();
  }

  private ChannelCredentials client(TestPki.Issued identity, String name, TestPki.Issued... cas)
      throws Exception {
    List<X509Certificate> trusted = new ArrayList<>();
    for (TestPki.Issued c : cas) {
      trusted.add(c.cert());
    }
    TlsFiles files = TestPki.write(dir.resolve(name), identity, trusted);
    return PodpathTls.channelCredentials(files, Optional.empty());
  }

  private TestPki.Issued clientCert(TestPki.Issued issuer) throws Exception {
    return TestPki.leaf(issuer, "aggregator", TestPki.KeyType.EC, TestPki.Usage.CLIENT);
  }

  private static String describe(Throwable t) {
    StringBuilder sb = new StringBuilder();
    for (Throwable c = t; c != null; c = c.getCause()) {
      sb.append(c).append(" <- ");
    }
    return sb.toString();
  }

  @Test
  void acceptsAClientCertifiedByTheCa() throws Exception {
    assertThat(check(client(clientCert(ca), "good", ca)))
        .isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
  }

  private static String explained(Throwable t) {
    return TlsErrors.explain(t).orElseThrow(() -> new AssertionError("unexplained", t));
  }

  @Test
  void refusesAClientWithoutCertificate() throws Exception {
    ChannelCredentials noCert =
        TlsChannelCredentials.newBuilder().trustManager(serverFiles.trustedCa().toFile()).build();
    assertThatThrownBy(() -> check(noCert))
        .isInstanceOf(StatusRuntimeException.class)
        .satisfies(
            e ->
                assertThat(explained(e))
                    .isEqualTo("the peer requires a client certificate and none was presented"));
  }

  @Test
  void refusesAClientFromAnotherCa() throws Exception {
    TestPki.Issued otherCa = TestPki.ca("evil-ca", TestPki.KeyType.RSA);
    assertThatThrownBy(() -> check(client(clientCert(otherCa), "other", ca)))
        .isInstanceOf(StatusRuntimeException.class)
        .satisfies(e -> assertThat(explained(e)).contains("not signed by the CA the peer trusts"));
  }

  @Test
  void refusesAnExpiredClientCertificate() throws Exception {
    Instant now = Instant.now();
    TestPki.Issued expired =
        TestPki.leaf(
            ca,
            "aggregator",
            TestPki.KeyType.EC,
            TestPki.Usage.CLIENT,
            now.minus(Duration.ofDays(10)),
            now.minus(Duration.ofDays(1)));
    assertThatThrownBy(() -> check(client(expired, "expired", ca)))
        .isInstanceOf(StatusRuntimeException.class)
        .satisfies(e -> assertThat(explained(e)).contains("it has expired"));
  }

  @Test
  void refusesAServerOnlyCertificateUsedAsClient() throws Exception {
    TestPki.Issued agentCert =
        TestPki.leaf(ca, "other-agent", TestPki.KeyType.RSA, TestPki.Usage.SERVER, "podpath-agent");
    assertThatThrownBy(() -> check(client(agentCert, "agent-as-client", ca)))
        .isInstanceOf(StatusRuntimeException.class)
        .satisfies(e -> assertThat(explained(e)).contains("key usage does not allow"));
  }

  @Test
  void theClientRefusesAServerFromAnotherCa() throws Exception {
    TestPki.Issued otherCa = TestPki.ca("other-ca", TestPki.KeyType.EC);
    assertThatThrownBy(() -> check(client(clientCert(ca), "trusts-other", otherCa)))
        .isInstanceOf(StatusRuntimeException.class)
        .satisfies(
            e -> assertThat(explained(e)).startsWith("we refused server certificate CN=agent"));
  }

  @Test
  void aPinnedServerNameReplacesTheAddressCheck() throws Exception {
    TestPki.Issued id = clientCert(ca);
    TlsFiles files = TestPki.write(dir.resolve("pinned"), id, List.of(ca.cert()));

    assertThat(check(PodpathTls.channelCredentials(files, Optional.of("podpath-agent"))))
        .isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
    assertThatThrownBy(
            () -> check(PodpathTls.channelCredentials(files, Optional.of("someone-else"))))
        .satisfies(e -> assertThat(describe(e)).contains("expected someone-else"));
  }

  @Test
  void aServerCanRequireTheAggregatorsName() throws Exception {
    Server strict =
        NettyServerBuilder.forAddress(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                PodpathTls.serverCredentials(serverFiles, Optional.of("podpath-aggregator")))
            .addService(new HealthStatusManager().getHealthService())
            .build()
            .start();
    try {
      Function<ChannelCredentials, HealthCheckResponse.ServingStatus> call =
          credentials -> {
            ManagedChannel channel =
                Grpc.newChannelBuilder("127.0.0.1:" + strict.getPort(), credentials).build();
            channels.add(channel);
            return HealthGrpc.newBlockingStub(channel)
                .withDeadlineAfter(10, TimeUnit.SECONDS)
                .check(HealthCheckRequest.getDefaultInstance())
                .getStatus();
          };
      TestPki.Issued byCn =
          TestPki.leaf(ca, "podpath-aggregator", TestPki.KeyType.EC, TestPki.Usage.CLIENT);
      TestPki.Issued bySan =
          TestPki.leaf(ca, "x", TestPki.KeyType.EC, TestPki.Usage.CLIENT, "podpath-aggregator");
      TestPki.Issued otherAgent =
          TestPki.leaf(
              ca, "podpath-agent", TestPki.KeyType.RSA, TestPki.Usage.BOTH, "podpath-agent");

      assertThat(call.apply(client(byCn, "by-cn", ca)))
          .isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
      assertThat(call.apply(client(bySan, "by-san", ca)))
          .isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
      ChannelCredentials agentAsClient = client(otherAgent, "other-agent", ca);
      assertThatThrownBy(() -> call.apply(agentAsClient))
          .satisfies(e -> assertThat(explained(e)).startsWith("the peer refused our certificate"));
    } finally {
      strict.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void aRotatedServerCertificateIsUsedByTheNextConnectionWithoutRestart() throws Exception {
    TestPki.Issued newCa = TestPki.ca("podpath-ca-2", TestPki.KeyType.EC);
    ChannelCredentials oldClient = client(clientCert(ca), "old", ca);
    ChannelCredentials newClient = client(clientCert(newCa), "new", newCa);
    assertThat(check(oldClient)).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
    assertThatThrownBy(() -> check(newClient)).isInstanceOf(StatusRuntimeException.class);

    // Rotate the server to the new CA: new certificate, new key, new trust bundle.
    TestPki.replace(
        serverFiles,
        TestPki.leaf(newCa, "agent", TestPki.KeyType.EC, TestPki.Usage.SERVER, "127.0.0.1"),
        List.of(newCa.cert()));

    assertThat(check(newClient)).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
    assertThatThrownBy(() -> check(oldClient)).isInstanceOf(StatusRuntimeException.class);
  }

  @Test
  void aRotatedClientCertificateIsPickedUpByTheNextChannel() throws Exception {
    TestPki.Issued expiring =
        TestPki.leaf(
            ca,
            "aggregator",
            TestPki.KeyType.EC,
            TestPki.Usage.CLIENT,
            Instant.now().minus(Duration.ofDays(2)),
            Instant.now().minus(Duration.ofDays(1)));
    TlsFiles files = TestPki.write(dir.resolve("rotating-client"), expiring, List.of(ca.cert()));
    ReloadingTlsMaterial material =
        new ReloadingTlsMaterial(files, Duration.ZERO, Clock.systemUTC());
    ChannelCredentials credentials = PodpathTls.channelCredentials(material, Optional.empty());
    assertThatThrownBy(() -> check(credentials)).isInstanceOf(StatusRuntimeException.class);

    TestPki.replace(files, clientCert(ca), List.of(ca.cert()));

    assertThat(check(credentials)).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
  }
}
