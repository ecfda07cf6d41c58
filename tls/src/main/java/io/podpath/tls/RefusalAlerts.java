package io.podpath.tls;

import io.grpc.netty.shaded.io.netty.handler.ssl.OpenSsl;
import io.grpc.netty.shaded.io.netty.handler.ssl.OpenSslCertificateException;
import io.grpc.netty.shaded.io.netty.internal.tcnative.CertificateVerifier;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertificateException;

/**
 * Picks the TLS alert the peer receives when we refuse its certificate. Netty's OpenSSL engine
 * turns an unrecognised refusal into "internal_error", which tells the peer nothing; an unknown CA
 * or a wrong key usage gets its proper alert here. With the JDK engine, JSSE picks the alert.
 */
final class RefusalAlerts {
  private RefusalAlerts() {}

  static CertificateException refusal(String message, CertificateException cause) {
    try {
      if (OpenSsl.isAvailable()) {
        Integer code = openSslCode(cause);
        if (code != null) {
          return new OpenSslCertificateException(message, cause, code);
        }
      }
    } catch (LinkageError e) {
      // No usable native OpenSSL: the JDK engine is in use and chooses its own alert.
    }
    return new CertificateException(message, cause);
  }

  private static Integer openSslCode(CertificateException cause) {
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t instanceof CertPathBuilderException) {
        return CertificateVerifier.X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY;
      }
      String m = String.valueOf(t.getMessage());
      if (m.contains("key usage")) {
        return CertificateVerifier.X509_V_ERR_INVALID_PURPOSE;
      }
      if (m.contains("server certificate names")) {
        return CertificateVerifier.X509_V_ERR_HOSTNAME_MISMATCH;
      }
      if (m.startsWith("client certificate ") && m.contains(" is not ")) {
        return CertificateVerifier.X509_V_ERR_CERT_REJECTED;
      }
    }
    return null;
  }
}
