package io.podpath.tls;

import io.grpc.ChannelCredentials;
import io.grpc.ServerCredentials;
import io.grpc.TlsChannelCredentials;
import io.grpc.TlsServerCredentials;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * gRPC credentials for podpath's mTLS. Both sides trust only the configured CA and re-read their
 * files on rotation (checked during handshakes, at most once per {@link #DEFAULT_CHECK_INTERVAL}),
 * so a renewed certificate is used by the next connection without a restart. There is no plaintext
 * variant here on purpose.
 *
 * <pre>{@code
 * // agent
 * Server server = Grpc.newServerBuilderForPort(9443, PodpathTls.serverCredentials(files))...;
 * // aggregator towards an agent (in a cluster, agents share one cert: pin its name)
 * ManagedChannel ch = Grpc.newChannelBuilder("10.0.0.5:9443",
 *     PodpathTls.channelCredentials(files, Optional.of("podpath-agent"))).build();
 * }</pre>
 */
public final class PodpathTls {
  public static final Duration DEFAULT_CHECK_INTERVAL = Duration.ofSeconds(5);

  private PodpathTls() {}

  /** Loads the files now (throws {@link TlsMaterialException} if unusable) and watches them. */
  public static ReloadingTlsMaterial watch(TlsFiles files) {
    return new ReloadingTlsMaterial(files, DEFAULT_CHECK_INTERVAL, Clock.systemUTC());
  }

  /** Server side: presents the files' certificate and REQUIRES a client certificate from the CA. */
  public static ServerCredentials serverCredentials(TlsFiles files) {
    return serverCredentials(watch(files), Optional.empty());
  }

  /**
   * As {@link #serverCredentials(TlsFiles)}, and the client certificate must also name {@code
   * allowedClient} (DNS SAN or CN), e.g. {@code podpath-aggregator}: with one CA for agents and
   * aggregator, this keeps one node's agent certificate from calling the other agents.
   */
  public static ServerCredentials serverCredentials(
      TlsFiles files, Optional<String> allowedClient) {
    return serverCredentials(watch(files), allowedClient);
  }

  public static ServerCredentials serverCredentials(
      ReloadingTlsMaterial material, Optional<String> allowedClient) {
    return TlsServerCredentials.newBuilder()
        .keyManager(new ReloadingKeyManager(material))
        .trustManager(new ReloadingTrustManager(material, allowedClient))
        .clientAuth(TlsServerCredentials.ClientAuth.REQUIRE)
        .build();
  }

  /**
   * Client side: presents the files' certificate and trusts servers chaining to the CA whose
   * certificate names {@code serverName} (DNS or IP SAN), or, when empty, the address dialled.
   */
  public static ChannelCredentials channelCredentials(TlsFiles files, Optional<String> serverName) {
    return channelCredentials(watch(files), serverName);
  }

  public static ChannelCredentials channelCredentials(
      ReloadingTlsMaterial material, Optional<String> serverName) {
    return TlsChannelCredentials.newBuilder()
        .keyManager(new ReloadingKeyManager(material))
        .trustManager(new ReloadingTrustManager(material, serverName))
        .build();
  }
}
