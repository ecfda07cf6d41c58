package io.podpath.testkit;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs one command from an argv list (never a shell string) with a timeout and an output cap. */
final class ProcessRunner {
  static final int OUTPUT_CAP = 1 << 20;

  private ProcessRunner() {}

  static ExecResult run(List<String> argv, Map<String, String> env, Duration timeout) {
    ProcessBuilder pb = new ProcessBuilder(argv);
    pb.environment().putAll(env);
    pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      throw new SandboxException("cannot run " + argv.get(0) + ": " + e.getMessage(), e);
    }
    Capture out = new Capture(p.getInputStream());
    Capture err = new Capture(p.getErrorStream());
    out.start();
    err.start();
    try {
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        p.waitFor(5, TimeUnit.SECONDS);
        throw new SandboxException(
            "timed out after "
                + timeout.toSeconds()
                + " s: "
                + String.join(" ", argv)
                + "\n"
                + err.text());
      }
      out.join(5000);
      err.join(5000);
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new SandboxException("interrupted: " + String.join(" ", argv), e);
    }
    return new ExecResult(p.exitValue(), out.text(), err.text());
  }

  /**
   * Drains a stream, keeping at most {@link #OUTPUT_CAP} bytes so a chatty tool cannot exhaust
   * memory.
   */
  private static final class Capture extends Thread {
    private final InputStream in;
    private final ByteArrayOutputStream buf = new ByteArrayOutputStream();

    Capture(InputStream in) {
      super("sandbox-output");
      setDaemon(true);
      this.in = in;
    }

    @Override
    public void run() {
      byte[] chunk = new byte[8192];
      try (in) {
        int n;
        while ((n = in.read(chunk)) > 0) {
          synchronized (buf) {
            int keep = Math.min(n, OUTPUT_CAP - buf.size());
            if (keep > 0) {
              buf.write(chunk, 0, keep);
            }
          }
        }
      } catch (IOException e) {
        // the process went away; keep what we have
      }
    }

    String text() {
      synchronized (buf) {
        return buf.toString(StandardCharsets.UTF_8);
      }
    }
  }
}
