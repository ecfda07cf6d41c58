package io.podpath.proto.grpc;

import com.google.protobuf.Message;
import io.grpc.MethodDescriptor;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Requests whose string fields hold invalid UTF-8, for the agent's and the aggregator's tests of
 * {@link LenientUtf8}: build a valid request with {@link #MARK} in the field, {@link #corrupt} it,
 * and send the bytes through the method made {@link #raw}.
 */
public final class InvalidUtf8Requests {
  private InvalidUtf8Requests() {}

  /** Same length as every invalid sequence below, so the length prefixes stay right. */
  public static final String MARK = "ZZZZ";

  public static final List<byte[]> INVALID =
      List.of(
          new byte[] {(byte) 0xC3, 0x28, 0x41, 0x41}, // bad continuation
          new byte[] {(byte) 0xFF, (byte) 0xFE, 0x41, 0x41}, // never valid bytes
          new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80, 0x41}, // UTF-16 surrogate
          new byte[] {(byte) 0xC0, (byte) 0xAF, 0x41, 0x41}); // overlong '/'

  /** {@code m}'s bytes with the first {@link #MARK} replaced by {@code with}. */
  public static byte[] corrupt(Message m, byte[] with) {
    byte[] bytes = m.toByteArray();
    byte[] mark = MARK.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i + mark.length <= bytes.length; i++) {
      if (Arrays.equals(bytes, i, i + mark.length, mark, 0, mark.length)) {
        System.arraycopy(with, 0, bytes, i, with.length);
        return bytes;
      }
    }
    throw new IllegalStateException("marker not found");
  }

  /** {@code method} sending and receiving raw bytes, so a corrupted request reaches the server. */
  public static MethodDescriptor<byte[], byte[]> raw(MethodDescriptor<?, ?> method) {
    return method.toBuilder(RAW, RAW).build();
  }

  private static final MethodDescriptor.Marshaller<byte[]> RAW =
      new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
          return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
          try {
            return stream.readAllBytes();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
      };
}
