package io.podpath.aggregator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.podpath.aggregator.api.TestCerts.Issued;
import io.podpath.aggregator.api.TestCerts.Usage;
import io.podpath.proto.grpc.HostPort;
import io.podpath.proto.v1.AggregatorServiceGrpc;
import io.podpath.proto.v1.StatusRequest;
import io.podpath.proto.v1.SweepResult;
import io.podpath.tls.PodpathTls;
import io.podpath.tls.TlsErrors;
import io.podpath.tls.TlsFiles;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI's gRPC listener: plaintext only on loopback; anywhere else mTLS with client certificates
 * from the configured CA. Real handshakes over TCP; the server binds the wildcard address.
 */
class CliListenerMtlsTest {
  @TempDir Path dir;

  private Issued ca;
  private TlsFiles serverFiles;
  private @Nullable AggregatorServer server;

  /** Answers Status, so a call that gets through is told apart from one refused by TLS. */
  static final class Answering extends AggregatorServiceGrpc.AggregatorServiceImplBase {
    @Override
    public void status(StatusRequest request, StreamObserver<SweepResult> out) {
      out.onNext(SweepResult.newBuilder().setStartedAt("served").build());
      out.onCompleted();
    }
  }

  @BeforeEach
  void pki() throws Exception {
    ca = TestCerts.ca("podpath-test-ca");
    serverFiles =
        TestCerts.write(
            dir.resolve("server"),
            TestCerts.leaf(ca, "podpath-aggregator", Usage.SERVER, "podpath-aggregator"),
            ca);
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private String startMtls(Optional<String> allowedClient) {
    CliListener l =
        CliListener.of(new HostPort("0.0.0.0", 0), Optional.of(serverFiles), allowedClient);
    assertThat(l).isInstanceOf(CliListener.Mtls.class);
    server = new AggregatorServer(l, List.of(new Answering())).start();
    return "127.0.0.1:" + server.port();
  }

  private static SweepResult call(String target, ChannelCredentials creds) {
    ManagedChannel ch = Grpc.newChannelBuilder(target, creds).build();
    try {
      return AggregatorServiceGrpc.newBlockingStub(ch)
          .withDeadlineAfter(10, TimeUnit.SECONDS)
          .status(StatusRequest.getDefaultInstance());
    } finally {
      ch.shutdownNow();
    }
  }

  private TlsFiles client(Issued issuer, String cn, Issued trusted) throws Exception {
    return TestCerts.write(
        dir.resolve("client-" + cn + "-" + System.nanoTime()),
        TestCerts.leaf(issuer, cn, Usage.CLIENT, cn),
        trusted);
  }

  @Test
  void theRightClientCertificateIsServed() throws Exception {
    String target = startMtls(Optional.empty());
    TlsFiles alice = client(ca, "alice", ca);
    SweepResult r =
        call(target, PodpathTls.channelCredentials(alice, Optional.of("podpath-aggregator")));
    assertThat(r.getStartedAt()).isEqualTo("served");
  }

  @Test
  void aClientWithoutCertificateIsRefused() {
    String target = startMtls(Optional.empty());
    assertThatThrownBy(() -> call(target, InsecureChannelCredentials.create()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
  }

  @Test
  void aClientCertificateFromAnotherCaIsRefused() throws Exception {
    String target = startMtls(Optional.empty());
    Issued other = TestCerts.ca("someone-elses-ca");
    // Trusts the right CA for the server, but its own certificate is from another CA.
    TlsFiles mallory = client(other, "mallory", ca);
    assertThatThrownBy(
            () ->
                call(
                    target,
                    PodpathTls.channelCredentials(mallory, Optional.of("podpath-aggregator"))))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
              assertThat(TlsErrors.explain(e)).isPresent();
            });
  }

  @Test
  void anAllowedClientNameRestrictsWhichCertificatesOfTheCaGetIn() throws Exception {
    String target = startMtls(Optional.of("podpath-operator"));
    TlsFiles alice = client(ca, "alice", ca);
    assertThatThrownBy(
            () ->
                call(
                    target,
                    PodpathTls.channelCredentials(alice, Optional.of("podpath-aggregator"))))
        .isInstanceOf(StatusRuntimeException.class);
    TlsFiles operator = client(ca, "podpath-operator", ca);
    assertThat(
            call(target, PodpathTls.channelCredentials(operator, Optional.of("podpath-aggregator")))
                .getStartedAt())
        .isEqualTo("served");
  }

  @Test
  void plaintextIsRefusedAtStartUpAnywhereButLoopback() {
    for (String host : List.of("0.0.0.0", "::", "10.0.0.7", "192.168.1.2", "fd00::1")) {
      assertThatThrownBy(
              () -> CliListener.of(new HostPort(host, 9450), Optional.empty(), Optional.empty()))
          .as(host)
          .isInstanceOf(InsecureListenException.class)
          .hasMessageContaining("not a loopback address")
          .hasMessageContaining("--cli-tls-cert")
          .hasMessageContaining("--cli-tls-key")
          .hasMessageContaining("--cli-tls-ca");
    }
    // Every path to a server checks it, not only the flags.
    assertThatThrownBy(
            () ->
                new AggregatorServer(new HostPort("0.0.0.0", 0), List.of(new Answering())).start())
        .isInstanceOf(InsecureListenException.class);
  }

  @Test
  void plaintextOnLoopbackIsServed() {
    for (String host : List.of("127.0.0.1", "127.1.2.3", "::1")) {
      assertThat(CliListener.of(new HostPort(host, 9450), Optional.empty(), Optional.empty()))
          .isInstanceOf(CliListener.Loopback.class);
    }
    server = new AggregatorServer(new HostPort("127.0.0.1", 0), List.of(new Answering())).start();
    assertThat(
            call("127.0.0.1:" + server.port(), InsecureChannelCredentials.create()).getStartedAt())
        .isEqualTo("served");
  }

  @Test
  void aClientNameWithoutTlsIsRefused() {
    assertThatThrownBy(
            () ->
                CliListener.of(
                    new HostPort("127.0.0.1", 9450), Optional.empty(), Optional.of("alice")))
        .isInstanceOf(InsecureListenException.class)
        .hasMessageContaining("--cli-tls-client-name");
  }

  @Test
  void unusableServerFilesAreRefusedAtStartUpNamingTheFile() throws Exception {
    TlsFiles broken =
        new TlsFiles(serverFiles.certChain(), dir.resolve("missing.key"), serverFiles.trustedCa());
    assertThatThrownBy(
            () -> CliListener.of(new HostPort("0.0.0.0", 0), Optional.of(broken), Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("missing.key");
  }
}
