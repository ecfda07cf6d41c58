package io.podpath.agent.netns;

import jnr.ffi.LibraryLoader;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.SaveError;

/**
 * The whole native boundary of the agent: open/close/setns from libc through jnr-ffi. Nothing else
 * in the agent touches jnr-ffi (same idea as jnr-unixsocket's Native.java).
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
  }

  private static final class Holder {
    static final LibC LIBC = LibraryLoader.create(LibC.class).load("c");
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

  static void close(int fd) {
    Holder.LIBC.close(fd);
  }

  /** Moves the calling thread (only it) into the network namespace behind fd. */
  static void setnsNet(int fd, String what) throws NativeException {
    if (Holder.LIBC.setns(fd, CLONE_NEWNET) != 0) {
      throw new NativeException("setns " + what + ": " + lastError());
    }
  }

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
