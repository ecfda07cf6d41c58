package io.podpath.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class PemTest {
  @TempDir Path dir;

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  @ParameterizedTest
  @EnumSource(TestPki.KeyType.class)
  void readsPkcs8AndTraditionalKeys(TestPki.KeyType type) throws Exception {
    TestPki.Issued ca = TestPki.ca("ca", type);
    PrivateKey expected = ca.keys().getPrivate();

    PrivateKey fromPkcs8 = Pem.privateKey(ascii(TestPki.pkcs8(expected)), "k");
    PrivateKey fromTraditional = Pem.privateKey(ascii(TestPki.traditional(expected)), "k");

    assertThat(fromPkcs8.getAlgorithm()).isEqualTo(type.name());
    assertThat(fromPkcs8.getEncoded()).isEqualTo(expected.getEncoded());
    assertThat(fromTraditional.getAlgorithm()).isEqualTo(type.name());
    if (type == TestPki.KeyType.RSA) {
      assertThat(fromTraditional.getEncoded()).isEqualTo(expected.getEncoded());
    } else {
      // SEC1 rewrapped may carry the public key the JDK omits: compare the secret scalar.
      assertThat(((ECPrivateKey) fromTraditional).getS())
          .isEqualTo(((ECPrivateKey) expected).getS());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"ec-sec1", "rsa-pkcs1"})
  void readsKeysWrittenByOpenssl(String name) throws Exception {
    Path fixtures = Path.of("src/test/resources/fixtures/pem");
    Path cert = fixtures.resolve(name + ".crt");
    assertThat(cert).as("fixture missing: re-record with hack/fixtures/tls-pem.sh").exists();
    TlsMaterial material =
        TlsMaterial.load(new TlsFiles(cert, fixtures.resolve(name + ".key"), cert));
    assertThat(material.chain().get(0).getSubjectX500Principal().getName())
        .isEqualTo("CN=fixture-" + name.substring(0, name.indexOf('-')));
    assertThat(
            Pem.privateKey(Files.readAllBytes(fixtures.resolve("ec-pkcs8.key")), "k")
                .getAlgorithm())
        .isEqualTo("EC");
  }

  @Test
  void readsAChainInFileOrderAndSkipsOtherBlocks() throws Exception {
    TestPki.Issued ca = TestPki.ca("ca", TestPki.KeyType.EC);
    TestPki.Issued leaf = TestPki.leaf(ca, "leaf", TestPki.KeyType.EC, TestPki.Usage.SERVER);
    String text =
        TestPki.pem(leaf.cert()) + TestPki.pkcs8(leaf.keys().getPrivate()) + TestPki.pem(ca.cert());

    assertThat(Pem.certificates(ascii(text), "f")).containsExactly(leaf.cert(), ca.cert());
  }

  @Test
  void namesTheFileWhenNothingUsableIsInside() throws Exception {
    assertThatThrownBy(() -> Pem.certificates(ascii("hello"), "/etc/x/tls.crt"))
        .isInstanceOf(TlsMaterialException.class)
        .hasMessageContaining("/etc/x/tls.crt")
        .hasMessageContaining("no PEM CERTIFICATE");
    assertThatThrownBy(
            () ->
                Pem.privateKey(
                    ascii(
                        "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n"),
                    "/k"))
        .hasMessageContaining("encrypted private keys are not supported");
    assertThatThrownBy(() -> Pem.privateKey(ascii("nothing"), "/k"))
        .hasMessageContaining("/k: no PEM private key");
  }

  @Test
  void refusesAKeyThatDoesNotMatchTheCertificate() throws Exception {
    TestPki.Issued ca = TestPki.ca("ca", TestPki.KeyType.RSA);
    TestPki.Issued a = TestPki.leaf(ca, "a", TestPki.KeyType.RSA, TestPki.Usage.SERVER);
    TestPki.Issued b = TestPki.leaf(ca, "b", TestPki.KeyType.RSA, TestPki.Usage.SERVER);
    TlsFiles files = TestPki.write(dir, a, List.of(ca.cert()));
    Files.writeString(files.privateKey(), TestPki.pkcs8(b.keys().getPrivate()));

    assertThatThrownBy(() -> TlsMaterial.load(files))
        .isInstanceOf(TlsMaterialException.class)
        .hasMessageContaining("does not match the first certificate");
  }

  @Test
  void aMissingFileIsNamed() {
    TlsFiles files = TlsFiles.of("/nonexistent/c", "/nonexistent/k", "/nonexistent/ca");
    assertThatThrownBy(() -> TlsMaterial.load(files))
        .hasMessageContaining("cannot read certificate file /nonexistent/c");
  }
}
