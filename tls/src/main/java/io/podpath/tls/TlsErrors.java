package io.podpath.tls;

import java.util.Locale;
import java.util.Optional;

/**
 * Turns a failed gRPC call's cause chain into one sentence an operator can act on, for the
 * aggregator's logs and the CLI. TLS failures surface as "UNAVAILABLE: ssl exception" with the real
 * reason (an alert from the peer, or our own refusal) buried in the causes.
 */
public final class TlsErrors {
  private TlsErrors() {}

  public static Optional<String> explain(Throwable failure) {
    StringBuilder all = new StringBuilder();
    for (Throwable t = failure; t != null; t = t.getCause()) {
      all.append(' ').append(t.getMessage());
      if (t.getCause() == t) {
        break;
      }
    }
    String text = all.toString();
    String upper = text.toUpperCase(Locale.ROOT);
    int ours = text.indexOf("refused server certificate");
    if (ours >= 0) {
      return Optional.of("we " + firstLine(text.substring(ours)));
    }
    if (upper.contains("CERTIFICATE_REQUIRED")) {
      return Optional.of("the peer requires a client certificate and none was presented");
    }
    if (upper.contains("CERTIFICATE_EXPIRED")) {
      return Optional.of("the peer refused our certificate: it has expired (or is not yet valid)");
    }
    if (upper.contains("UNKNOWN_CA")) {
      return Optional.of(
          "the peer refused our certificate: it is not signed by the CA the peer trusts");
    }
    if (upper.contains("UNSUPPORTED_CERTIFICATE")) {
      return Optional.of(
          "the peer refused our certificate: its key usage does not allow this role"
              + " (client vs server)");
    }
    if (upper.contains("BAD_CERTIFICATE") || upper.contains("CERTIFICATE_UNKNOWN")) {
      return Optional.of("the peer refused our certificate (its log names the reason)");
    }
    if (upper.contains("SSL") || upper.contains("HANDSHAKE")) {
      return Optional.of("TLS handshake failed:" + firstLine(text));
    }
    return Optional.empty();
  }

  private static String firstLine(String s) {
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
