package io.podpath.aggregator.util;

/**
 * A caller's value as it may appear in an error message: control characters escaped and cut to a
 * few dozen characters. A status message travels as an HTTP/2 trailer; echoing a 1 MiB value made
 * it exceed the transport's limit, so the caller got "INTERNAL: http2 exception" instead of the
 * field's name.
 */
public final class Shown {
  private static final int MAX = 64;

  private Shown() {}

  public static String of(String value) {
    if (value == null) {
      return "null";
    }
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < value.length() && b.length() < MAX; i++) {
      char ch = value.charAt(i);
      if (ch < 0x20 || ch == 0x7f) {
        b.append(String.format("\\x%02x", (int) ch));
      } else {
        b.append(ch);
      }
    }
    if (b.length() >= MAX && value.length() > MAX) {
      b.setLength(MAX);
      b.append("…(").append(value.length()).append(" chars)");
    }
    return b.toString();
  }
}
