package io.podpath.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

/** Claims stay exclusive across processes even when this JVM claims again (POSIX lock pitfall). */
class IndexClaimTest {
  private static final String TRY_LOCK =
      "import fcntl,sys\nf=open(sys.argv[1],'w')\nfcntl.lockf(f,fcntl.LOCK_EX|fcntl.LOCK_NB)";

  @Test
  void aSecondClaimNeitherReusesNorDropsTheFirst() {
    try (IndexClaim a = IndexClaim.claimFree();
        IndexClaim b = IndexClaim.claimFree()) {
      assertThat(b.index()).isNotEqualTo(a.index());
      String lockFile = IndexClaim.LOCK_DIR.resolve("index-" + a.index() + ".lock").toString();
      ExecResult other =
          ProcessRunner.run(
              List.of("/usr/bin/python3", "-c", TRY_LOCK, lockFile),
              Map.of(),
              Duration.ofSeconds(10));
      assertThat(other.exitCode())
          .as("another process must not get index %d", a.index())
          .isNotZero();
    }
  }

  @Test
  void anExplicitPrefixIsExclusiveWithinTheJvm() {
    try (IndexClaim a = IndexClaim.claimPrefix("zq", 3)) {
      assertThat(a.index()).isEqualTo(3);
      Assertions.assertThatThrownBy(() -> IndexClaim.claimPrefix("zq", 3))
          .isInstanceOf(SandboxException.class)
          .hasMessageContaining("already held");
    }
  }
}
