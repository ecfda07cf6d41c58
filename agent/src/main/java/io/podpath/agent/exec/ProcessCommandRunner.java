package io.podpath.agent.exec;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.podpath.agent.netns.NetnsExecutor;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Starts real processes. A command with a netns is started from a {@link NetnsExecutor} worker
 * sitting in that namespace (a child inherits its starting thread's namespace).
 *
 * <p>Pipes are drained by a fixed pool whose threads are all started in the constructor, so that no
 * thread is ever created from inside a foreign namespace.
 */
public final class ProcessCommandRunner implements CommandRunner, AutoCloseable {
  private final NetnsExecutor netns;
  private final ThreadPoolExecutor drain;
  private final MeterRegistry registry;

  public ProcessCommandRunner(NetnsExecutor netns, int drainThreads) {
    this(netns, drainThreads, new SimpleMeterRegistry());
  }

  /**
   * Records {@code podpath.agent.commands} (a timer tagged by the binary's name, fixed by code, and
   * the outcome: ok, failed, timeout, cancelled, not_started).
   */
  public ProcessCommandRunner(NetnsExecutor netns, int drainThreads, MeterRegistry registry) {
    this.netns = netns;
    this.registry = registry;
    AtomicInteger n = new AtomicInteger();
    this.drain =
        new ThreadPoolExecutor(
            drainThreads,
            drainThreads,
            0,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            r -> {
              Thread t = new Thread(r, "exec-drain-" + n.getAndIncrement());
              t.setDaemon(true);
              return t;
            });
    drain.prestartAllCoreThreads();
  }

  @Override
  public CommandResult run(Command command) {
    long t0 = System.nanoTime();
    String outcome = "not_started";
    try {
      CommandResult r = dispatch(command);
      outcome = r.ok() ? "ok" : "failed";
      return r;
    } catch (CommandTimeoutException e) {
      outcome = "timeout";
      throw e;
    } catch (CallScope.CallEndedException e) {
      outcome = "cancelled";
      throw e;
    } finally {
      Timer.builder("podpath.agent.commands")
          .description("External commands the agent ran")
          .tag("binary", Path.of(command.argv().get(0)).getFileName().toString())
          .tag("outcome", outcome)
          .register(registry)
          .record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
    }
  }

  private CommandResult dispatch(Command command) {
    if (command.netns().isPresent()) {
      // the netns worker runs it under this thread's call scope (the executor carries it over)
      return netns.call(
          command.netns().get(), command.timeout().plusSeconds(2), () -> runHere(command));
    }
    return runHere(command);
  }

  private CommandResult runHere(Command command) {
    CallScope scope = CallScope.current();
    // the command's own timeout, or less when the call it serves ends sooner
    Duration timeout = scope.cap(command.timeout());
    long start = System.nanoTime();
    ProcessBuilder pb = new ProcessBuilder(command.argv());
    pb.environment().put("LC_ALL", "C");
    pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      throw new CommandStartException(
          command.argv().get(0), Objects.requireNonNullElse(e.getMessage(), e.toString()), e);
    }
    AtomicBoolean killed = new AtomicBoolean();
    Runnable unlisten =
        scope.onCancel(
            () -> {
              killed.set(true);
              destroyTree(p);
            });
    Future<Capped> out = drain.submit(() -> Capped.read(p.getInputStream(), command.stdoutCap()));
    Future<Capped> err = drain.submit(() -> Capped.read(p.getErrorStream(), command.stderrCap()));
    try {
      boolean exited = p.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS);
      if (!exited) {
        destroyTree(p);
        throw scope.ended().isPresent()
            ? new CallScope.CallEndedException(
                scope.ended().get() + " while " + command.display() + " ran (killed)")
            : new CommandTimeoutException(command.display(), timeout);
      }
      if (killed.get() || (scope.ended().isPresent() && p.exitValue() != 0)) {
        // killed by the cancellation, not a failure of the tool's own; a shell whose children were
        // killed first can still exit 0 before its own kill lands, so the exit code cannot tell
        throw new CallScope.CallEndedException(
            scope.ended().get() + " while " + command.display() + " ran (killed)");
      }
      Capped o = out.get(2, TimeUnit.SECONDS);
      Capped e = err.get(2, TimeUnit.SECONDS);
      return new CommandResult(
          command.argv(),
          p.exitValue(),
          o.text(),
          e.text(),
          o.truncated(),
          Duration.ofNanos(System.nanoTime() - start));
    } catch (InterruptedException e) {
      destroyTree(p);
      Thread.currentThread().interrupt();
      throw new CallScope.CallEndedException(
          scope.ended().orElse("interrupted") + " while " + command.display() + " ran (killed)");
    } catch (ExecutionException | TimeoutException e) {
      // A grandchild kept the pipe open, or reading failed: report what we know.
      destroyTree(p);
      throw new CommandStartException(command.argv().get(0), "reading output: " + e, e);
    } finally {
      unlisten.run();
    }
  }

  /**
   * Kills the process and everything it started (a shell's children would otherwise live on, and
   * keep the output pipes open). Descendants first: once the parent is gone they are re-parented
   * and no longer found from it.
   */
  static void destroyTree(Process p) {
    p.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
    p.destroyForcibly();
  }

  @Override
  public void close() {
    drain.shutdownNow();
  }

  /** Output up to a cap; the rest is read and dropped so the child never blocks on a full pipe. */
  private record Capped(String text, boolean truncated) {
    static Capped read(InputStream in, int cap) throws IOException {
      ByteArrayOutputStream buf = new ByteArrayOutputStream();
      byte[] chunk = new byte[8192];
      boolean truncated = false;
      try (in) {
        int n;
        while ((n = in.read(chunk)) >= 0) {
          int room = cap - buf.size();
          if (room > 0) {
            buf.write(chunk, 0, Math.min(room, n));
          }
          if (n > room) {
            truncated = true;
          }
        }
      }
      return new Capped(buf.toString(StandardCharsets.UTF_8), truncated);
    }
  }
}
