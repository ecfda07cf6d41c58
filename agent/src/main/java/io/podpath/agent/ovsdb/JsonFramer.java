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
    List<byte[]> done = new ArrayList<>();
    for (int i = off; i < off + len; i++) {
      byte b = data[i];
      if (depth == 0 && !inString && b != '{' && b != '[') {
        continue; // whitespace between messages
      }
      current.write(b);
      if (current.size() > maxMessage) {
        throw new IllegalStateException("JSON-RPC message larger than " + maxMessage + " bytes");
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
          done.add(current.toByteArray());
          current.reset();
        }
      }
    }
    return done;
  }
}
