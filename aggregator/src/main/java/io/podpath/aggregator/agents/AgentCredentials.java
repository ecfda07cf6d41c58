package io.podpath.aggregator.agents;

import io.grpc.ChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.podpath.tls.PodpathTls;
import io.podpath.tls.TlsFiles;
import io.podpath.tls.TlsMaterialException;
import java.nio.file.Path;
import java.util.Optional;

/** The aggregator's client identity towards agents: mTLS from PEM files, or explicit plaintext. */
public final class AgentCredentials {
  private AgentCredentials() {}

  /**
   * mTLS with files re-read on rotation. {@code serverName} pins the name the agents' certificate
   * must carry (agents sharing one certificate in a cluster); empty checks the address dialled.
   */
  public static ChannelCredentials mtls(Path cert, Path key, Path ca, Optional<String> serverName) {
    try {
      return PodpathTls.channelCredentials(new TlsFiles(cert, key, ca), serverName);
    } catch (TlsMaterialException | IllegalArgumentException e) {
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

  public static ChannelCredentials mtls(Path cert, Path key, Path ca) {
    return mtls(cert, key, ca, Optional.empty());
  }

  /** For local development against agents started with --plaintext. */
  public static ChannelCredentials plaintext() {
    return InsecureChannelCredentials.create();
  }
}
