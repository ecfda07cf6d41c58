package io.podpath.agent.ovsdb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A JSON-RPC peer the test scripts by hand, listening on a unix socket in a temporary directory:
 * for the connection handling real ovsdb-server never shows on demand (a drop, a garbled answer).
 */
final class ScriptedPeer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  final Path dir;
  final Path sock;
  private final ServerSocketChannel server;

  ScriptedPeer(String socketName) throws IOException {
    dir = Files.createTempDirectory("podpath-peer");
    sock = dir.resolve(socketName);
    server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(sock));
  }

  SocketChannel accept() throws IOException {
    return server.accept();
  }

  /** The next whole JSON message the client sent. */
  static JsonNode readOne(SocketChannel ch) throws IOException {
    JsonFramer f = new JsonFramer(1 << 20);
    ByteBuffer buf = ByteBuffer.allocate(4096);
    while (true) {
      buf.clear();
      int n = ch.read(buf);
      if (n < 0) {
        throw new AssertionError("client closed");
      }
      var msgs = f.feed(buf.array(), 0, n);
      if (!msgs.isEmpty()) {
        return JSON.readTree(msgs.get(0));
      }
    }
  }

  static void send(SocketChannel ch, String s) throws IOException {
    ch.write(ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8)));
  }

  @Override
  public void close() throws IOException {
    server.close();
    Files.deleteIfExists(sock);
    Files.deleteIfExists(dir);
  }
}
