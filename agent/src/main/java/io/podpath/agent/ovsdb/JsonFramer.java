package io.podpath.agent.ovsdb;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a byte stream into top-level JSON objects. OVS JSON-RPC (RFC 7047 and unixctl) has no
 * message delimiter: objects simply follow each other, so we track nesting outside strings.
 *
 * <p>A message is kept as the chunks it arrived in and copied once, at its exact size, when it
 * ends: a growing buffer would cost up to three times the message while it doubles.
 */
final class JsonFramer {
  private final List<byte[]> current = new ArrayList<>();
  private int size;
  private int depth;
  private boolean inString;
  private boolean escaped;
  private final int maxMessage;

  JsonFramer(int maxMessage) {
    this.maxMessage = maxMessage;
  }

  /** Feeds bytes; returns every message completed by them. */
  List<byte[]> feed(byte[] data, int off, int len) {
    List<byte[]> done = List.of();
    int end = off + len;
    int start = -1; // where the bytes of the current message begin in data
    if (depth > 0 || inString) {
      start = off;
    }
    for (int i = off; i < end; i++) {
      byte b = data[i];
      if (depth == 0 && !inString) {
        if (b != '{' && b != '[') {
          continue; // whitespace between messages
        }
        start = i;
      }
      if (inString) {
        if (escaped) {
          escaped = false;
        } else if (b == '\\') {
          escaped = true;
        } else if (b == '"') {
          inString = false;
        }
      } else if (b == '"') {
        inString = true;
      } else if (b == '{' || b == '[') {
        depth++;
      } else if (b == '}' || b == ']') {
        depth--;
        if (depth == 0) {
          append(data, start, i + 1 - start);
          if (done.isEmpty()) {
            done = new ArrayList<>(2);
          }
          done.add(take());
          start = -1;
        }
      }
    }
    if (start >= 0) {
      append(data, start, end - start);
    }
    return done;
  }

  private void append(byte[] data, int from, int n) {
    if ((long) size + n > maxMessage) {
      current.clear();
      size = 0;
      throw new IllegalStateException("JSON-RPC message larger than " + maxMessage + " bytes");
    }
    byte[] chunk = new byte[n];
    System.arraycopy(data, from, chunk, 0, n);
    current.add(chunk);
    size += n;
  }

  private byte[] take() {
    byte[] msg = new byte[size];
    int at = 0;
    for (byte[] c : current) {
      System.arraycopy(c, 0, msg, at, c.length);
      at += c.length;
    }
    current.clear();
    size = 0;
    return msg;
  }
}
