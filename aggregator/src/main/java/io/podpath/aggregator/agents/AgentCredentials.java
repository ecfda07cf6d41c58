package io.podpath.aggregator.agents;

import io.grpc.ChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.TlsChannelCredentials;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettySslContextChannelCredentials;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.podpath.tls.PodpathTls;
import io.podpath.tls.TlsFiles;
import io.podpath.tls.TlsMaterialException;
import java.nio.file.Path;
import java.util.Optional;
import javax.net.ssl.SSLException;

/** The aggregator's client identity towards agents: mTLS from PEM files, or explicit plaintext. */
public final class AgentCredentials {
  private AgentCredentials() {}

  /**
   * mTLS with files re-read on rotation. {@code serverName} pins the name the agents' certificate
   * must carry (agents sharing one certificate in a cluster); empty checks the address dialled.
   */
  public static ChannelCredentials mtls(Path cert, Path key, Path ca, Optional<String> serverName) {
    try {
      return oneSslContext(PodpathTls.channelCredentials(new TlsFiles(cert, key, ca), serverName));
    } catch (TlsMaterialException | IllegalArgumentException | SSLException e) {
      throw new IllegalArgumentException(
          "cannot load TLS material (cert "
              + cert
              + ", key "
              + key
              + ", CA "
              + ca
              + "): "
              + e.getMessage(),
          e);
    }
  }

  /**
   * grpc-netty turns TlsChannelCredentials into a new SslContext for every channel: with one
   * channel per agent that was a TLS context (its own certificate store, in native memory) per
   * node, ~5,000 of them. The key and trust managers re-read rotated files on each handshake, so
   * one context built from them serves every channel.
   */
  static ChannelCredentials oneSslContext(ChannelCredentials c) throws SSLException {
    if (!(c instanceof TlsChannelCredentials t)
        || t.getKeyManagers() == null
        || t.getTrustManagers() == null
        || t.getKeyManagers().size() != 1
        || t.getTrustManagers().size() != 1) {
      return c;
    }
    SslContext ctx =
        GrpcSslContexts.forClient()
            .keyManager(t.getKeyManagers().get(0))
            .trustManager(t.getTrustManagers().get(0))
            .build();
    return NettySslContextChannelCredentials.create(ctx);
  }

  public static ChannelCredentials mtls(Path cert, Path key, Path ca) {
    return mtls(cert, key, ca, Optional.empty());
  }

  /** For local development against agents started with --plaintext. */
  public static ChannelCredentials plaintext() {
    return InsecureChannelCredentials.create();
  }
}
