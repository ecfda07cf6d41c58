package io.podpath.agent.ovsdb;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.podpath.agent.errors.DeadlineExceededException;
import io.podpath.agent.errors.ProtocolException;
import io.podpath.agent.errors.UnavailableException;
import io.podpath.agent.exec.CallScope;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * One JSON-RPC 1.0 connection as OVS speaks it (OVSDB, RFC 7047, and unixctl), over a unix or TCP
 * socket, with a deadline on every call. Answers the server's "echo" requests on the way. Not
 * thread-safe: callers serialise (see {@link OvsdbClient}).
 *
 * <p>What a peer can cost the agent is bounded: a message is at most {@link #MAX_MESSAGE} bytes and
 * {@link #MAX_VALUES} JSON values (a tree costs up to ~85 bytes per value, so the worst message
 * needs ~30 MiB of the agent's 64 MiB heap), and every call ends within {@link #READ_TIMEOUT} even
 * when the caller would wait longer: a stopped daemon is UNAVAILABLE, not the caller's deadline.
 */
public final class JsonRpcConnection implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();

  /** Bytes in one message; a larger one drops the connection (ProtocolException). */
  public static final int MAX_MESSAGE = 8 << 20;

  /** Values (objects, arrays, scalars) in one message: ~4,000 OVSDB rows of 60 values. */
  public static final int MAX_VALUES = 250_000;

  /** The longest the agent waits for one answer, whatever the caller's deadline. */
  public static final Duration READ_TIMEOUT = Duration.ofSeconds(5);

  private final Remote remote;
  private final SocketChannel channel;
  private final Selector selector;
  private final JsonFramer framer = new JsonFramer(MAX_MESSAGE);
  private final Deque<byte[]> pending = new ArrayDeque<>();
  private final ByteBuffer readBuf = ByteBuffer.allocate(64 << 10);
  private long nextId;
  private boolean broken;

  private JsonRpcConnection(Remote remote, SocketChannel channel, Selector selector) {
    this.remote = remote;
    this.channel = channel;
    this.selector = selector;
  }

  /**
   * Connects within the timeout.
   *
   * @throws UnavailableException naming the socket when nothing listens there
   */
  public static JsonRpcConnection open(Remote remote, Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    SocketChannel ch = null;
    Selector sel = null;
    try {
      ch = SocketChannel.open(remote.family());
      ch.configureBlocking(false);
      sel = Selector.open();
      if (!ch.connect(remote.address())) {
        ch.register(sel, SelectionKey.OP_CONNECT);
        while (!ch.finishConnect()) {
          long left = millisLeft(deadline);
          if (left <= 0) {
            throw new UnavailableException(remote.toString(), "connect timed out");
          }
          sel.select(left);
        }
        sel.selectedKeys().clear();
      }
      ch.register(sel, SelectionKey.OP_READ);
      return new JsonRpcConnection(remote, ch, sel);
    } catch (IOException e) {
      closeQuietly(ch, sel);
      throw new UnavailableException(remote.toString(), "cannot connect: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      closeQuietly(ch, sel);
      throw e;
    }
  }

  public Remote remote() {
    return remote;
  }

  public boolean broken() {
    return broken;
  }

  /**
   * Sends one request and returns the whole response object (with "result" and "error"), so that
   * each protocol decides what an error looks like.
   */
  public JsonNode call(String method, JsonNode params, Instant deadline) {
    return call(method, params, deadline, n -> {});
  }

  /**
   * Like {@link #call(String, JsonNode, Instant)}, handing every notification that arrives before
   * the response (e.g. OVSDB "update") to {@code notifications}, in order.
   */
  public JsonNode call(
      String method, JsonNode params, Instant deadline, Consumer<JsonNode> notifications) {
    if (broken) {
      throw new UnavailableException(remote.toString(), "connection is broken");
    }
    long id = nextId++;
    Instant own = Instant.now().plus(READ_TIMEOUT);
    Instant until = own.isBefore(deadline) ? own : deadline;
    ObjectNode req = JSON.createObjectNode();
    req.put("method", method);
    req.set("params", params);
    req.put("id", id);
    try {
      write(req, until);
      while (true) {
        JsonNode msg = readMessage(until, own.isBefore(deadline));
        JsonNode msgId = msg.get("id");
        if (msg.has("method")) {
          if ("echo".equals(msg.path("method").asText()) && msgId != null && !msgId.isNull()) {
            ObjectNode reply = JSON.createObjectNode();
            reply.set("result", msg.get("params"));
            reply.putNull("error");
            reply.set("id", msgId);
            write(reply, until);
          } else if (msgId == null || msgId.isNull()) {
            notifications.accept(msg);
          }
          continue;
        }
        if (msgId != null && msgId.canConvertToLong() && msgId.asLong() == id) {
          return msg;
        }
      }
    } catch (IOException e) {
      broken = true;
      throw new UnavailableException(remote.toString(), "connection lost: " + e.getMessage(), e);
    } catch (DeadlineExceededException | UnavailableException | ProtocolException e) {
      broken = true; // a late answer, or the rest of a refused one, would confuse the next call
      throw e;
    }
  }

  private void write(JsonNode msg, Instant deadline) throws IOException {
    ByteBuffer buf = ByteBuffer.wrap(JSON.writeValueAsBytes(msg));
    while (buf.hasRemaining()) {
      if (channel.write(buf) == 0) {
        if (millisLeft(deadline) <= 0) {
          throw new DeadlineExceededException(remote + ": write timed out");
        }
        Thread.onSpinWait();
      }
    }
  }

  private JsonNode readMessage(Instant deadline, boolean ownTimeout) throws IOException {
    while (pending.isEmpty()) {
      long left = millisLeft(deadline);
      if (left <= 0) {
        if (ownTimeout) {
          throw new NoAnswerException(remote.toString(), READ_TIMEOUT.toMillis());
        }
        throw new DeadlineExceededException(remote + ": no answer before the deadline");
      }
      selector.select(left);
      selector.selectedKeys().clear();
      if (Thread.currentThread().isInterrupted()) {
        // the call this read serves was cancelled (CallScope interrupts its threads)
        throw new CallScope.CallEndedException(
            CallScope.current().ended().orElse("interrupted") + " while waiting for " + remote);
      }
      readBuf.clear();
      int n = channel.read(readBuf);
      if (n < 0) {
        throw new IOException("closed by peer");
      }
      try {
        List<byte[]> msgs = framer.feed(readBuf.array(), 0, n);
        pending.addAll(msgs);
      } catch (IllegalStateException e) {
        throw new ProtocolException(remote + ": " + e.getMessage());
      }
    }
    byte[] raw = pending.poll();
    checkValues(raw);
    try {
      JsonNode node = JSON.readTree(raw);
      if (!node.isObject()) {
        throw new ProtocolException(remote + ": expected a JSON object");
      }
      return node;
    } catch (IOException e) {
      throw new ProtocolException(remote + ": malformed JSON: " + e.getMessage(), e);
    }
  }

  /** Counts values with the streaming parser (no tree) before a tree is built. */
  private void checkValues(byte[] raw) {
    int values = 0;
    try (JsonParser p = JSON.getFactory().createParser(raw)) {
      for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
        if (t != JsonToken.FIELD_NAME && !t.isStructEnd() && ++values > MAX_VALUES) {
          throw new ProtocolException(
              remote + ": JSON-RPC message has more than " + MAX_VALUES + " values");
        }
      }
    } catch (IOException e) {
      throw new ProtocolException(remote + ": malformed JSON: " + e.getMessage(), e);
    }
  }

  private static long millisLeft(Instant deadline) {
    return Duration.between(Instant.now(), deadline).toMillis();
  }

  private static void closeQuietly(@Nullable SocketChannel ch, @Nullable Selector sel) {
    try {
      if (sel != null) {
        sel.close();
      }
      if (ch != null) {
        ch.close();
      }
    } catch (IOException ignored) {
      // nothing useful to do
    }
  }

  @Override
  public void close() {
    closeQuietly(channel, selector);
  }
}
