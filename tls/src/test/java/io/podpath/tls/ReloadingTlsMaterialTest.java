package io.podpath.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReloadingTlsMaterialTest {
  @TempDir Path dir;

  /** A clock the test moves by hand. */
  static final class ManualClock extends Clock {
    Instant now = Instant.parse("2026-01-01T00:00:00Z");

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  @Test
  void checksTheFilesAtMostOncePerInterval() throws Exception {
    TestPki.Issued ca = TestPki.ca("ca", TestPki.KeyType.EC);
    TestPki.Issued first = TestPki.leaf(ca, "first", TestPki.KeyType.EC, TestPki.Usage.SERVER);
    TestPki.Issued second = TestPki.leaf(ca, "second", TestPki.KeyType.EC, TestPki.Usage.SERVER);
    TlsFiles files = TestPki.write(dir, first, List.of(ca.cert()));
    ManualClock clock = new ManualClock();
    ReloadingTlsMaterial material = new ReloadingTlsMaterial(files, Duration.ofSeconds(5), clock);

    TestPki.replace(files, second, List.of(ca.cert()));
    clock.now = clock.now.plusSeconds(4);
    assertThat(material.current().chain().get(0)).isEqualTo(first.cert());

    clock.now = clock.now.plusSeconds(1);
    assertThat(material.current().chain().get(0)).isEqualTo(second.cert());
  }

  @Test
  void keepsThePreviousMaterialWhileARotationIsHalfWritten() throws Exception {
    TestPki.Issued ca = TestPki.ca("ca", TestPki.KeyType.RSA);
    TestPki.Issued first = TestPki.leaf(ca, "first", TestPki.KeyType.RSA, TestPki.Usage.SERVER);
    TestPki.Issued second = TestPki.leaf(ca, "second", TestPki.KeyType.RSA, TestPki.Usage.SERVER);
    TlsFiles files = TestPki.write(dir, first, List.of(ca.cert()));
    ReloadingTlsMaterial material =
        new ReloadingTlsMaterial(files, Duration.ZERO, Clock.systemUTC());

    // New certificate written, key not yet.
    Files.writeString(files.certChain(), TestPki.pem(second.cert()));
    assertThat(material.reloadIfChanged()).isFalse();
    assertThat(material.current().chain().get(0)).isEqualTo(first.cert());

    Files.writeString(files.privateKey(), TestPki.pkcs8(second.keys().getPrivate()));
    assertThat(material.current().chain().get(0)).isEqualTo(second.cert());

    // A file removed mid-rotation (e.g. a Secret volume swap) also keeps the last good set.
    Files.delete(files.trustedCa());
    assertThat(material.current().chain().get(0)).isEqualTo(second.cert());
  }

  @Test
  void followsAKubernetesStyleSymlinkSwap() throws Exception {
    TestPki.Issued ca = TestPki.ca("ca", TestPki.KeyType.EC);
    TestPki.Issued first = TestPki.leaf(ca, "first", TestPki.KeyType.EC, TestPki.Usage.SERVER);
    TestPki.Issued second = TestPki.leaf(ca, "second", TestPki.KeyType.EC, TestPki.Usage.SERVER);
    // kubelet: tls.crt -> ..data/tls.crt, ..data -> ..2026_v1; rotation repoints ..data.
    TestPki.write(dir.resolve("..v1"), first, List.of(ca.cert()));
    TestPki.write(dir.resolve("..v2"), second, List.of(ca.cert()));
    Files.createSymbolicLink(dir.resolve("..data"), dir.resolve("..v1").getFileName());
    for (String f : List.of("tls.crt", "tls.key", "ca.crt")) {
      Files.createSymbolicLink(dir.resolve(f), Path.of("..data", f));
    }
    TlsFiles files =
        new TlsFiles(dir.resolve("tls.crt"), dir.resolve("tls.key"), dir.resolve("ca.crt"));
    ReloadingTlsMaterial material =
        new ReloadingTlsMaterial(files, Duration.ZERO, Clock.systemUTC());
    assertThat(material.current().chain().get(0)).isEqualTo(first.cert());

    Path tmp = dir.resolve("..data_tmp");
    Files.createSymbolicLink(tmp, dir.resolve("..v2").getFileName());
    Files.move(tmp, dir.resolve("..data"), StandardCopyOption.ATOMIC_MOVE);

    assertThat(material.current().chain().get(0)).isEqualTo(second.cert());
    assertThat(material.notAfter()).isEqualTo(second.cert().getNotAfter().toInstant());
  }
}
