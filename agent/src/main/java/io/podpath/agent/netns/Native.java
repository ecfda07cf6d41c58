package io.podpath.agent.netns;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.SaveError;
import jnr.ffi.byref.IntByReference;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;

/**
 * The whole native boundary of the agent: open/close/setns, a netlink socket for RTM_GETNSID, and
 * the sockets of live traces (AF_PACKET capture, a raw IPv4 socket), from libc through jnr-ffi.
 * Nothing else in the agent touches jnr-ffi (same idea as jnr-unixsocket's Native.java).
 */
final class Native {
  static final int CLONE_NEWNET = 0x40000000;
  private static final int O_RDONLY = 0;
  private static final int O_CLOEXEC = 0x80000;

  /** libc functions the agent needs; errno is saved so it can be reported. */
  public interface LibC {
    @SaveError
    int open(String path, int flags);

    @SaveError
    int close(int fd);

    @SaveError
    int setns(int fd, int nstype);

    String strerror(int errnum);

    @SaveError
    int socket(int domain, int type, int protocol);

    @SaveError
    @ssize_t
    long send(int fd, byte[] buf, @size_t long len, int flags);

    @SaveError
    @ssize_t
    long recv(int fd, byte[] buf, @size_t long len, int flags);

    // AF_PACKET capture (PacketSocket): bind a sockaddr_ll, attach a filter, read with the
    // sender's sockaddr_ll.
    @SaveError
    int bind(int fd, byte[] addr, int len);

    @SaveError
    int setsockopt(int fd, int level, int name, byte[] value, int len);

    // RawIpSocket: a raw IPv4 (IPv6) socket's datagram to a sockaddr_in (sockaddr_in6).
    @SaveError
    @ssize_t
    long sendto(int fd, byte[] buf, @size_t long len, int flags, byte[] addr, int addrlen);

    @SaveError
    @ssize_t
    long recvfrom(
        int fd, byte[] buf, @size_t long len, int flags, byte[] addr, IntByReference addrlen);
  }

  private static final class Holder {
    static final LibC LIBC = loadLibc();
  }

  /**
   * jffi writes its stub library to a temp file with NIO on first use; on a thread whose interrupt
   * flag is set (a cancelled RPC's worker) that write fails with ClosedByInterruptException, and a
   * failed class initialiser is never retried: the agent could never enter a namespace again. So
   * the load runs on its own thread, and the caller waits for it without being interruptible (its
   * interrupt flag is restored afterwards). The loading thread runs code of Native, never of
   * Holder, whose initialisation it would otherwise wait for.
   */
  private static LibC loadLibc() {
    CompletableFuture<LibC> loaded = new CompletableFuture<>();
    Thread t =
        new Thread(
            () -> {
              try {
                loaded.complete(LibraryLoader.create(LibC.class).load("c"));
              } catch (Throwable e) {
                loaded.completeExceptionally(e);
              }
            },
            "podpath-native-load");
    t.setDaemon(true);
    t.start();
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return loaded.get();
        } catch (InterruptedException e) {
          interrupted = true;
        } catch (ExecutionException e) {
          throw new IllegalStateException("libc through jnr-ffi: " + e.getCause(), e.getCause());
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private Native() {}

  /** Opens a namespace file read-only; returns the fd or throws with errno's text. */
  static int openNs(String path) throws NativeException {
    int fd = Holder.LIBC.open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      throw new NativeException("open " + path + ": " + lastError());
    }
    return fd;
  }

  static LibC libc() {
    return Holder.LIBC;
  }

  static String errorText() {
    return lastError();
  }

  static int lastErrno() {
    return Runtime.getRuntime(Holder.LIBC).getLastError();
  }

  static void close(int fd) {
    Holder.LIBC.close(fd);
  }

  /** Moves the calling thread (only it) into the network namespace behind fd. */
  static void setnsNet(int fd, String what) throws NativeException {
    if (Holder.LIBC.setns(fd, CLONE_NEWNET) != 0) {
      throw new NativeException("setns " + what + ": " + lastError());
    }
  }

  /** A NETLINK_ROUTE socket in the calling thread's network namespace. */
  static int netlinkRoute() throws NativeException {
    int fd = Holder.LIBC.socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
    if (fd < 0) {
      throw new NativeException("socket(AF_NETLINK): " + lastError());
    }
    return fd;
  }

  /** libc's text for {@code errno}, as iproute2 prints it ("Network is unreachable"). */
  static String errnoText(int errno) {
    return Holder.LIBC.strerror(errno);
  }

  /** A NETLINK_NETFILTER socket in the calling thread's network namespace. */
  static int netlinkNetfilter() throws NativeException {
    int fd = Holder.LIBC.socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_NETFILTER);
    if (fd < 0) {
      throw new NativeException("socket(AF_NETLINK, NETLINK_NETFILTER): " + lastError());
    }
    return fd;
  }

  static void send(int fd, byte[] msg) throws NativeException {
    if (Holder.LIBC.send(fd, msg, msg.length, 0) != msg.length) {
      throw new NativeException("netlink send: " + lastError());
    }
  }

  /** Never blocks: the kernel queues its answer before send() returns. */
  static int recvNow(int fd, byte[] buf) throws NativeException {
    long n = Holder.LIBC.recv(fd, buf, buf.length, MSG_DONTWAIT);
    if (n < 0) {
      throw new NativeException("netlink recv: " + lastError());
    }
    return (int) n;
  }

  private static final int AF_NETLINK = 16;
  private static final int SOCK_RAW = 3;
  private static final int SOCK_CLOEXEC = 0x80000;
  private static final int NETLINK_ROUTE = 0;
  private static final int NETLINK_NETFILTER = 12;
  private static final int MSG_DONTWAIT = 0x40;

  private static String lastError() {
    int errno = Runtime.getRuntime(Holder.LIBC).getLastError();
    return Holder.LIBC.strerror(errno) + " (errno " + errno + ")";
  }

  /** A failed libc call, with errno's text. */
  static final class NativeException extends Exception {
    NativeException(String message) {
      super(message);
    }
  }
}
