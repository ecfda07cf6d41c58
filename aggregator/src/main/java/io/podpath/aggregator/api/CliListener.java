package io.podpath.aggregator.api;

import com.google.common.net.InetAddresses;
import io.podpath.proto.grpc.HostPort;
import io.podpath.tls.PodpathTls;
import io.podpath.tls.ReloadingTlsMaterial;
import io.podpath.tls.TlsFiles;
import io.podpath.tls.TlsMaterialException;
import java.net.InetAddress;
import java.util.Optional;

/**
 * How the CLI's gRPC port is served. Whoever reaches it can inspect any pod, read datapath dumps
 * and start sweeps, so it is plaintext only on loopback (reached through {@code kubectl
 * port-forward}, where Kubernetes RBAC decides who gets in); bound anywhere else it requires mTLS
 * with a client certificate from the configured CA. There is no way to bind elsewhere in plaintext.
 *
 * <p>mTLS rather than a bearer token checked with TokenReview/SubjectAccessReview: it needs no API
 * server (standalone aggregators run without one), and it is the PKI the agents already use.
 */
public sealed interface CliListener {
  HostPort address();

  /** Plaintext on a loopback address. */
  record Loopback(HostPort address) implements CliListener {}

  /**
   * mTLS: presents {@code material}'s certificate, requires a client certificate chaining to its CA
   * and, when {@code allowedClient} is set, naming it (DNS SAN or CN).
   */
  record Mtls(HostPort address, ReloadingTlsMaterial material, Optional<String> allowedClient)
      implements CliListener {}

  /**
   * Decides from the flags; TLS files are loaded now, so a bad file fails start-up naming it.
   *
   * @param tls {@code --cli-tls-cert/--cli-tls-key/--cli-tls-ca}, all or none
   * @param allowedClient {@code --cli-tls-client-name}
   */
  static CliListener of(HostPort address, Optional<TlsFiles> tls, Optional<String> allowedClient) {
    if (tls.isEmpty()) {
      if (allowedClient.isPresent()) {
        throw new InsecureListenException(
            "--cli-tls-client-name needs --cli-tls-cert, --cli-tls-key and --cli-tls-ca: a client"
                + " name is checked on client certificates, which only TLS carries");
      }
      if (!isLoopback(address.host())) {
        throw new InsecureListenException(
            "--listen "
                + address
                + " is not a loopback address: whoever reaches it could inspect any pod and start"
                + " sweeps, so the aggregator will not serve it in plaintext. Pass"
                + " --cli-tls-cert FILE --cli-tls-key FILE (this server's certificate) and"
                + " --cli-tls-ca FILE (the CA client certificates must chain to), optionally"
                + " --cli-tls-client-name NAME; or listen on 127.0.0.1 and reach it with kubectl"
                + " port-forward (see docs/standalone.md)");
      }
      return new Loopback(address);
    }
    allowedClient.ifPresent(
        n -> {
          if (n.isBlank()) {
            throw new InsecureListenException("--cli-tls-client-name: empty name");
          }
        });
    TlsFiles files = tls.get();
    try {
      return new Mtls(address, PodpathTls.watch(files), allowedClient);
    } catch (TlsMaterialException e) {
      throw new IllegalArgumentException(
          "--cli-tls-cert/--cli-tls-key/--cli-tls-ca: cannot load the listener's TLS files ("
              + files.certChain()
              + ", "
              + files.privateKey()
              + ", "
              + files.trustedCa()
              + "): "
              + e.getMessage(),
          e);
    }
  }

  /**
   * True only for an IP literal in 127.0.0.0/8 or ::1. A name is never trusted to be loopback (what
   * it resolves to may change); the wildcard 0.0.0.0 / :: is every interface.
   */
  static boolean isLoopback(String host) {
    if (!InetAddresses.isInetAddress(host)) {
      return false;
    }
    InetAddress a = InetAddresses.forString(host);
    return a.isLoopbackAddress();
  }
}
