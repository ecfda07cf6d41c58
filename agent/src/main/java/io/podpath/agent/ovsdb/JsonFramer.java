package io.podpath.agent.ovsdb;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a byte stream into top-level JSON objects. OVS JSON-RPC (RFC 7047 and unixctl) has no
 * message delimiter: objects simply follow each other, so we track nesting outside strings.
 */
final class JsonFramer {
  private final ByteArrayOutputStream current = new ByteArrayOutputStream();
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
          done.add(current.toByteArray());
          current.reset();
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
    if (current.size() + n > maxMessage) {
      throw new IllegalStateException("JSON-RPC message larger than " + maxMessage + " bytes");
    }
    current.write(data, from, n);
  }
}
