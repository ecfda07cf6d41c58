package io.podpath.aggregator.cli;

import io.grpc.ChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.podpath.tls.PodpathTls;
import io.podpath.tls.ReloadingTlsMaterial;
import io.podpath.tls.TlsErrors;
import io.podpath.tls.TlsFiles;
import io.podpath.tls.TlsMaterialException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import picocli.CommandLine;

/**
 * The CLI's side of the aggregator's mTLS ({@code --client-certificate}, {@code --client-key},
 * {@code --certificate-authority}, {@code --tls-server-name}, named as kubectl names them), and TLS
 * failures in words with the next step.
 */
final class AggregatorTls {
  private AggregatorTls() {}

  /** The client files, when the user gave them (all three, or none). */
  static Optional<TlsFiles> files(GlobalOptions g, CommandLine cmd) {
    String cert = g.clientCertificate();
    String key = g.clientKey();
    String ca = g.certificateAuthority();
    if (cert.isEmpty() && key.isEmpty() && ca.isEmpty()) {
      if (!g.tlsServerName().isEmpty()) {
        throw new CommandLine.ParameterException(
            cmd,
            "--tls-server-name needs --client-certificate, --client-key and"
                + " --certificate-authority (it names the aggregator's TLS certificate)");
      }
      return Optional.empty();
    }
    if (cert.isEmpty() || key.isEmpty() || ca.isEmpty()) {
      throw new CommandLine.ParameterException(
          cmd,
          "give all of --client-certificate, --client-key and --certificate-authority: the"
              + " aggregator requires a client certificate, and only that CA is trusted for its"
              + " own");
    }
    return Optional.of(new TlsFiles(Path.of(cert), Path.of(key), Path.of(ca)));
  }

  /** Plaintext without files; mTLS with them, loaded now so a bad file is named at once. */
  static ChannelCredentials credentials(
      Optional<TlsFiles> files, String serverName, CommandLine cmd) {
    if (files.isEmpty()) {
      return InsecureChannelCredentials.create();
    }
    TlsFiles f = files.get();
    ReloadingTlsMaterial material;
    try {
      material = PodpathTls.watch(f);
    } catch (TlsMaterialException e) {
      throw new CommandLine.ParameterException(
          cmd, "--client-certificate/--client-key/--certificate-authority: " + e.getMessage());
    }
    Instant notAfter = material.notAfter();
    if (notAfter.isBefore(Instant.now())) {
      throw new CliFailure(
          ExitCodes.USAGE,
          "your client certificate "
              + f.certChain()
              + " expired at "
              + notAfter
              + ": the aggregator would refuse it. Get a new one from the aggregator's client CA"
              + " (docs/standalone.md, 'Certificates')");
    }
    return PodpathTls.channelCredentials(
        material, serverName.isEmpty() ? Optional.empty() : Optional.of(serverName));
  }

  /**
   * A TLS failure (or a plaintext client meeting a TLS server) in words; empty for anything else.
   */
  static Optional<CliFailure> explain(
      StatusRuntimeException e, String where, Optional<TlsFiles> files) {
    if (e.getStatus().getCode() != Status.Code.UNAVAILABLE) {
      return Optional.empty();
    }
    String desc = String.valueOf(e.getStatus().getDescription()).toLowerCase(Locale.ROOT);
    if (files.isEmpty()) {
      // A TLS server reading a plaintext HTTP/2 preface closes the connection without a word.
      if (desc.contains("network closed") || desc.contains("connection closed")) {
        return Optional.of(
            fail(
                "the aggregator at "
                    + where
                    + " closed the connection before answering: an aggregator listening beyond"
                    + " loopback requires mTLS. Pass --client-certificate FILE --client-key FILE"
                    + " --certificate-authority FILE (and --tls-server-name NAME if its"
                    + " certificate does not name "
                    + where
                    + ")",
                e));
      }
      return Optional.empty();
    }
    TlsFiles f = files.get();
    Optional<String> tls = TlsErrors.explain(e);
    if (tls.isEmpty()) {
      if (desc.contains("network closed") || desc.contains("connection closed")) {
        return Optional.of(notTls(e, where));
      }
      return Optional.empty();
    }
    String t = tls.get();
    if (t.startsWith("we refused server certificate")) {
      return Optional.of(
          fail(
              "the aggregator at "
                  + where
                  + " presented a certificate we do not accept ("
                  + plain(t.substring("we refused server certificate".length()))
                  + "). Check --certificate-authority "
                  + f.trustedCa()
                  + " (the CA that signed the aggregator's certificate) and --tls-server-name"
                  + " (a DNS name on that certificate)",
              e));
    }
    String mine = "your client certificate " + f.certChain();
    if (t.contains("expired")) {
      return Optional.of(
          fail(
              "the aggregator refused "
                  + mine
                  + ": it has expired or is not yet valid. Get a new one from the aggregator's"
                  + " client CA",
              e));
    }
    if (t.contains("not signed by the CA")) {
      return Optional.of(
          fail(
              "the aggregator refused "
                  + mine
                  + ": it is not signed by the CA the aggregator trusts (its --cli-tls-ca). Get"
                  + " a client certificate issued by that CA",
              e));
    }
    if (t.contains("key usage")) {
      return Optional.of(
          fail(
              "the aggregator refused "
                  + mine
                  + ": it is not a client certificate (extended key usage clientAuth)",
              e));
    }
    if (t.contains("requires a client certificate")) {
      return Optional.of(
          fail("the aggregator asked for a client certificate and got none from " + mine, e));
    }
    if (t.contains("refused our certificate")) {
      return Optional.of(
          fail(
              "the aggregator refused "
                  + mine
                  + " (its log names the reason, e.g. a name required by --cli-tls-client-name)",
              e));
    }
    return Optional.of(notTls(e, where));
  }

  /** The reason without the JDK's own words after it (class names are for -v). */
  static String plain(String reason) {
    String r = reason.strip();
    for (String jdk : new String[] {" PKIX ", "Exception", " sun.", " java."}) {
      int at = r.indexOf(jdk);
      if (at > 0) {
        r = r.substring(0, at).strip();
      }
    }
    return r;
  }

  private static CliFailure notTls(StatusRuntimeException e, String where) {
    return fail(
        "no TLS handshake with the aggregator at "
            + where
            + ": does it serve TLS? An aggregator on loopback (reached by port-forward) serves"
            + " plaintext: drop --client-certificate, --client-key and --certificate-authority."
            + " Run with -v for the details",
        e);
  }

  private static CliFailure fail(String message, Throwable cause) {
    return new CliFailure(ExitCodes.UNREACHABLE, message, cause);
  }
}
