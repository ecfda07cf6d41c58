package io.podpath.agent.netns;

import io.podpath.agent.errors.AgentException;
import io.podpath.agent.errors.DeadlineExceededException;
import io.podpath.agent.errors.UnavailableException;
import io.podpath.agent.exec.CallScope;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks inside network namespaces on a small, fixed set of dedicated platform threads.
 *
 * <p>setns() moves one thread only, and any thread it creates stays in that namespace for good, so:
 * the workers are created here, up front, before any setns (construct this before any task runs);
 * they are never replaced; each one restores its original namespace in {@code finally} and checks
 * the restore by inode. A worker that cannot restore stops serving (it would poison later tasks).
 */
public final class NetnsExecutor implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(NetnsExecutor.class);
  private static final Path THREAD_SELF_NET = Path.of("/proc/thread-self/ns/net");

  private final BlockingQueue<Job<?>> queue = new LinkedBlockingQueue<>();
  private final List<Thread> workers = new ArrayList<>();
  private final AtomicInteger alive = new AtomicInteger();
  private volatile boolean closed;

  public NetnsExecutor(int threads) {
    for (int i = 0; i < threads; i++) {
      Thread t = new Thread(this::workerLoop, "netns-" + i);
      t.setDaemon(true);
      workers.add(t);
      alive.incrementAndGet();
      t.start();
    }
  }

  /**
   * Runs {@code task} on a worker inside the namespace named by {@code netns} (a bind mount such as
   * /var/run/netns/X or /proc/PID/ns/net) and returns its result. Called from a worker (nested), it
   * enters the namespace on the current thread and goes back to the caller's namespace after.
   *
   * @throws UnavailableException when the namespace cannot be opened or entered
   * @throws DeadlineExceededException when the answer does not come within {@code timeout}
   */
  public <T> T call(Path netns, Duration timeout, NetnsTask<T> task) {
    if (isWorkerThread()) {
      return runIn(netns, task);
    }
    if (closed || alive.get() == 0) {
      throw new UnavailableException("netns executor", "no worker thread left");
    }
    // the worker runs the task under the caller's scope: its cancellation stops the task too
    CallScope scope = CallScope.current();
    Duration wait = scope.cap(timeout);
    Job<T> job = new Job<>(netns, task, new CompletableFuture<>(), scope);
    queue.add(job);
    try {
      return job.result.get(wait.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      job.result.cancel(false);
      throw new DeadlineExceededException(
          "work in netns " + netns + " did not finish within " + wait.toMillis() + " ms");
    } catch (InterruptedException e) {
      job.result.cancel(false);
      Thread.currentThread().interrupt();
      throw new CallScope.CallEndedException(
          scope.ended().orElse("interrupted") + " while waiting for work in netns " + netns);
    } catch (ExecutionException e) {
      Throwable c = Objects.requireNonNullElse(e.getCause(), e);
      if (c instanceof RuntimeException re) {
        throw re;
      }
      if (c instanceof Error err) {
        throw err;
      }
      throw new NetnsTaskException("task in netns " + netns + " failed: " + c, c);
    }
  }

  /** The inode of a namespace file: equal inodes are the same namespace. */
  public static long inode(Path nsFile) throws IOException {
    return ((Number) Files.getAttribute(nsFile, "unix:ino")).longValue();
  }

  /** The inode of the namespace the calling thread is in right now. */
  public static long currentInode() throws IOException {
    return inode(THREAD_SELF_NET);
  }

  public int aliveWorkers() {
    return alive.get();
  }

  private boolean isWorkerThread() {
    return workers.contains(Thread.currentThread());
  }

  private void workerLoop() {
    try {
      while (!closed) {
        Job<?> job = queue.poll(200, TimeUnit.MILLISECONDS);
        if (job != null && !job.result.isDone() && !execute(job)) {
          return;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      alive.decrementAndGet();
    }
  }

  /** Returns false when this worker could not get back to its namespace and must stop. */
  private <T> boolean execute(Job<T> job) {
    try {
      job.result.complete(job.scope.within(() -> runIn(job.netns, job.task)));
      return true;
    } catch (RestoreFailedException e) {
      LOG.error("worker {} leaves the pool: {}", Thread.currentThread().getName(), e.getMessage());
      job.result.completeExceptionally(
          new UnavailableException(
              "netns executor", Objects.requireNonNullElse(e.getMessage(), e.toString())));
      return false;
    } catch (Throwable t) {
      job.result.completeExceptionally(t);
      return true;
    }
  }

  private static <T> T runIn(Path netns, NetnsTask<T> task) {
    long before;
    int back;
    try {
      before = currentInode();
      back = Native.openNs(THREAD_SELF_NET.toString());
    } catch (IOException | Native.NativeException e) {
      throw new UnavailableException(
          THREAD_SELF_NET.toString(), Objects.requireNonNullElse(e.getMessage(), e.toString()), e);
    }
    try {
      int target;
      try {
        target = Native.openNs(netns.toString());
      } catch (Native.NativeException e) {
        throw new UnavailableException(
            netns.toString(), Objects.requireNonNullElse(e.getMessage(), e.toString()), e);
      }
      try {
        Native.setnsNet(target, netns.toString());
      } catch (Native.NativeException e) {
        throw new UnavailableException(
            netns.toString(), Objects.requireNonNullElse(e.getMessage(), e.toString()), e);
      } finally {
        Native.close(target);
      }
      try {
        return task.run();
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new NetnsTaskException("task in netns " + netns + " failed: " + e, e);
      } finally {
        restore(back, before);
      }
    } finally {
      Native.close(back);
    }
  }

  private static void restore(int fd, long expectedInode) {
    try {
      Native.setnsNet(fd, "original netns");
      if (currentInode() != expectedInode) {
        throw new RestoreFailedException("netns inode differs after restore");
      }
    } catch (Native.NativeException | IOException e) {
      throw new RestoreFailedException("could not restore netns: " + e.getMessage());
    }
  }

  @Override
  public void close() {
    closed = true;
    for (Thread t : workers) {
      t.interrupt();
    }
  }

  private record Job<T>(
      Path netns, NetnsTask<T> task, CompletableFuture<T> result, CallScope scope) {}

  /** A checked exception thrown by a task, wrapped. */
  public static final class NetnsTaskException extends AgentException {
    NetnsTaskException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private static final class RestoreFailedException extends RuntimeException {
    RestoreFailedException(String message) {
      super(message);
    }
  }
}
