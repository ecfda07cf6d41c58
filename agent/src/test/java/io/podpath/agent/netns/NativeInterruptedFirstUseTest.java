package io.podpath.agent.netns;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The first native call of a JVM made on an interrupted thread (a cancelled RPC's worker) must not
 * break the native boundary for good: jffi's stub write fails under an interrupt, and a failed
 * class initialiser is never retried. Needs a fresh JVM, since this one has loaded libc already.
 */
class NativeInterruptedFirstUseTest {

  /** Runs in the child JVM: first use of {@link Native} with the interrupt flag set. */
  public static final class FirstUse {
    private FirstUse() {}

    public static void main(String[] args) throws Exception {
      Thread.currentThread().interrupt();
      int fd = Native.openNs("/proc/self/ns/net");
      boolean stillInterrupted = Thread.interrupted();
      Native.close(fd);
      int again = Native.openNs("/proc/self/ns/net");
      Native.close(again);
      System.out.println("opened interrupted=" + stillInterrupted);
    }
  }

  @Test
  void anInterruptedFirstCallStillLoadsLibcAndKeepsTheFlag() throws IOException, Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process p =
        new ProcessBuilder(
                List.of(
                    java.toString(),
                    "-cp",
                    System.getProperty("java.class.path"),
                    FirstUse.class.getName()))
            .redirectErrorStream(true)
            .start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("child JVM finished").isTrue();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(out).as(out).contains("opened interrupted=true");
    assertThat(p.exitValue()).as(out).isZero();
  }
}
