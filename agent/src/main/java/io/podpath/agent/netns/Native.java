package io.podpath.agent.netns;

import com.kenai.jffi.ArrayFlags;
import com.kenai.jffi.CallingConvention;
import com.kenai.jffi.Function;
import com.kenai.jffi.HeapInvocationBuffer;
import com.kenai.jffi.Invoker;
import com.kenai.jffi.LastError;
import com.kenai.jffi.Library;
import com.kenai.jffi.MemoryIO;
import com.kenai.jffi.Type;
import java.nio.charset.StandardCharsets;

/**
 * The whole native boundary of the agent: open/close/setns from libc, called through jffi (the
 * native-call layer under jnr-ffi) with fixed signatures. jnr-ffi's interface binding would
 * generate classes at run time and load ~300 more for four calls. Nothing else in the agent touches
 * native code.
 */
final class Native {
  static final int CLONE_NEWNET = 0x40000000;
  private static final int O_RDONLY = 0;
  private static final int O_CLOEXEC = 0x80000;

  /** libc's functions, resolved once from the process (libc is always loaded). */
  private static final class Libc {
    static final Invoker INVOKER = Invoker.getInstance();
    static final Function OPEN = function("open", Type.SINT, Type.POINTER, Type.SINT);
    static final Function CLOSE = function("close", Type.SINT, Type.SINT);
    static final Function SETNS = function("setns", Type.SINT, Type.SINT, Type.SINT);
    static final Function STRERROR = function("strerror", Type.POINTER, Type.SINT);

    /** errno is saved right after each call so {@link #lastError} reports this call's. */
    private static Function function(String name, Type result, Type... params) {
      long address = Library.getDefault().getSymbolAddress(name);
      if (address == 0) {
        throw new UnsatisfiedLinkError("libc has no " + name + ": " + Library.getLastError());
      }
      return new Function(address, result, params, CallingConvention.DEFAULT, true);
    }
  }

  private Native() {}

  /** Opens a namespace file read-only; returns the fd or throws with errno's text. */
  static int openNs(String path) throws NativeException {
    byte[] cPath = path.getBytes(StandardCharsets.UTF_8);
    HeapInvocationBuffer args = new HeapInvocationBuffer(Libc.OPEN);
    args.putArray(cPath, 0, cPath.length, ArrayFlags.IN | ArrayFlags.NULTERMINATE);
    args.putInt(O_RDONLY | O_CLOEXEC);
    int fd = Libc.INVOKER.invokeInt(Libc.OPEN, args);
    if (fd < 0) {
      throw new NativeException("open " + path + ": " + lastError());
    }
    return fd;
  }

  static void close(int fd) {
    Libc.INVOKER.invokeIrI(Libc.CLOSE, fd);
  }

  /** Moves the calling thread (only it) into the network namespace behind fd. */
  static void setnsNet(int fd, String what) throws NativeException {
    if (Libc.INVOKER.invokeIIrI(Libc.SETNS, fd, CLONE_NEWNET) != 0) {
      throw new NativeException("setns " + what + ": " + lastError());
    }
  }

  private static String lastError() {
    int errno = LastError.getInstance().get();
    HeapInvocationBuffer args = new HeapInvocationBuffer(Libc.STRERROR);
    args.putInt(errno);
    long text = Libc.INVOKER.invokeAddress(Libc.STRERROR, args);
    String message =
        text == 0
            ? "unknown error"
            : new String(
                MemoryIO.getInstance().getZeroTerminatedByteArray(text), StandardCharsets.UTF_8);
    return message + " (errno " + errno + ")";
  }

  /** A failed libc call, with errno's text. */
  static final class NativeException extends Exception {
    NativeException(String message) {
      super(message);
    }
  }
}
