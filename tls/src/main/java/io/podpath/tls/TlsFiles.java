package io.podpath.tls;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The three PEM files of one mTLS identity: this side's certificate chain (leaf first), its private
 * key (PKCS#8, or PKCS#1 RSA / SEC1 EC as Helm and openssl write them) and the CA bundle that peers
 * must chain to. Only this CA is trusted: never the JDK's default trust store.
 */
public record TlsFiles(Path certChain, Path privateKey, Path trustedCa) {
  public TlsFiles {
    Objects.requireNonNull(certChain, "certChain");
    Objects.requireNonNull(privateKey, "privateKey");
    Objects.requireNonNull(trustedCa, "trustedCa");
  }

  /** Convenience for flag values: {@code --tls-cert}, {@code --tls-key}, {@code --tls-ca}. */
  public static TlsFiles of(String cert, String key, String ca) {
    return new TlsFiles(Path.of(cert), Path.of(key), Path.of(ca));
  }
}
