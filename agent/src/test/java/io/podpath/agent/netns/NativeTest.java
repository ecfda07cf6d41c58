package io.podpath.agent.netns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * libc through jffi: fds, and errno's text in every failure (entering a netns is sandbox-tested).
 */
class NativeTest {

  @Test
  void opensAndClosesANamespaceFile() throws Exception {
    int fd = Native.openNs("/proc/self/ns/net");
    try {
      assertThat(fd).isGreaterThanOrEqualTo(0);
      assertThat(Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString())
          .startsWith("net:[");
    } finally {
      Native.close(fd);
    }
    assertThat(Files.exists(Path.of("/proc/self/fd/" + fd))).isFalse();
  }

  @Test
  void aMissingFileIsNamedWithErrno() {
    assertThatThrownBy(() -> Native.openNs("/var/run/netns/no-such-namespace"))
        .isInstanceOf(Native.NativeException.class)
        .hasMessage("open /var/run/netns/no-such-namespace: No such file or directory (errno 2)");
  }

  @Test
  void aPathWithNonAsciiBytesReachesLibcIntact() {
    assertThatThrownBy(() -> Native.openNs("/tmp/ünïcödé-netns-missing"))
        .hasMessage("open /tmp/ünïcödé-netns-missing: No such file or directory (errno 2)");
  }

  @Test
  void setnsOnABadFdReportsEbadf() {
    assertThatThrownBy(() -> Native.setnsNet(-1, "nowhere"))
        .isInstanceOf(Native.NativeException.class)
        .hasMessage("setns nowhere: Bad file descriptor (errno 9)");
  }
}
