package io.podpath.bench;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Recorded agent replies and requests as proto3 JSON, readable and diffable. */
public final class Fixtures {
  public static final String RUN_CHECKS = "runchecks.json";
  public static final String GET_NODE = "getnode.json";
  public static final String PROBE = "probe.json";

  private Fixtures() {}

  public static void write(Path file, Message m) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.writeString(file, JsonFormat.printer().print(m) + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static <B extends Message.Builder> B read(Path file, B builder) {
    try {
      JsonFormat.parser().merge(Files.readString(file), builder);
      return builder;
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
