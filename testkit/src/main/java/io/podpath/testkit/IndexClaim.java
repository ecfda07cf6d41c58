package io.podpath.testkit;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * A sandbox name held by this JVM. Several test JVMs run concurrently on one machine, so a name is
 * claimed with an OS file lock (released even if the JVM dies): either a free index (prefix {@code
 * t<K>}, only when no root-netns interface already sits in 172.31.K.0/24) or an explicit prefix.
 * Holding the lock means any state left under that name belongs to a dead run and may be torn down.
 *
 * <p>POSIX locks belong to the process and closing ANY descriptor of the file drops them, so this
 * JVM never opens a lock file it already holds (the {@link #HELD} registry).
 */
final class IndexClaim implements AutoCloseable {
  static final Path LOCK_DIR = Path.of("/run/podpath-sandbox/.testkit-locks");
  // 40..99: 0..39 stay free for sandboxes brought up by hand (hack/sandbox defaults to 0).
  private static final int[] CANDIDATES = IntStream.rangeClosed(40, 99).map(i -> 139 - i).toArray();
  private static final Set<String> HELD = new HashSet<>();

  private final int index;
  private final String lockName;
  private final FileChannel channel;
  private final FileLock lock;

  private IndexClaim(int index, String lockName, FileChannel channel, FileLock lock) {
    this.index = index;
    this.lockName = lockName;
    this.channel = channel;
    this.lock = lock;
  }

  int index() {
    return index;
  }

  /** Claims the first free index among 99..40. */
  static IndexClaim claimFree() {
    try {
      Files.createDirectories(LOCK_DIR);
      for (int k : CANDIDATES) {
        IndexClaim c = tryClaim("index-" + k, k, true);
        if (c != null) {
          return c;
        }
      }
    } catch (IOException e) {
      throw new SandboxException("cannot claim a sandbox index: " + e.getMessage(), e);
    }
    throw new SandboxException(
        "no free sandbox index among 40..99 (all locked or their subnets in use)");
  }

  /** Claims an explicit prefix; fails if another test JVM holds it. */
  static IndexClaim claimPrefix(String prefix, int index) {
    try {
      Files.createDirectories(LOCK_DIR);
      IndexClaim c = tryClaim("prefix-" + prefix, index, false);
      if (c == null) {
        throw new SandboxException(
            "sandbox prefix "
                + prefix
                + " is already held by another sandbox of this or another test JVM");
      }
      return c;
    } catch (IOException e) {
      throw new SandboxException(
          "cannot claim sandbox prefix " + prefix + ": " + e.getMessage(), e);
    }
  }

  private static IndexClaim tryClaim(String name, int k, boolean checkSubnet) throws IOException {
    synchronized (HELD) {
      if (HELD.contains(name)) {
        return null;
      }
      FileChannel ch =
          FileChannel.open(
              LOCK_DIR.resolve(name + ".lock"),
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE);
      FileLock l = ch.tryLock();
      if (l == null) {
        ch.close(); // this JVM holds no lock on this file, so closing drops nothing of ours
        return null;
      }
      if (checkSubnet && subnetInUse(k)) {
        l.release();
        ch.close();
        return null;
      }
      HELD.add(name);
      return new IndexClaim(k, name, ch, l);
    }
  }

  static boolean subnetInUse(int k) throws SocketException {
    String prefix = "172.31." + k + ".";
    for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (ni.getName().equals("t" + k + "-host")) {
        continue; // a dead testkit run's leftover under the lock we now hold: `down` removes it
      }
      for (InterfaceAddress a : ni.getInterfaceAddresses()) {
        if (a.getAddress() instanceof Inet4Address v4 && v4.getHostAddress().startsWith(prefix)) {
          return true;
        }
      }
    }
    return false;
  }

  @Override
  public void close() {
    synchronized (HELD) {
      if (!HELD.remove(lockName)) {
        return;
      }
      try {
        if (lock.isValid()) {
          lock.release();
        }
        channel.close();
      } catch (IOException e) {
        // the lock dies with the channel anyway
      }
    }
  }
}
