package io.podpath.agent.kernel.iptables;

import io.podpath.agent.kernel.KernelParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits one iptables-save rule line into words: spaces separate, double quotes group
 * (iptables-save quotes comments and escapes {@code "} and {@code \} inside them with a backslash).
 */
final class Tokens {
  private Tokens() {}

  static List<String> split(String line) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean inWord = false;
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted) {
        if (c == '\\' && i + 1 < line.length()) {
          cur.append(line.charAt(++i));
        } else if (c == '"') {
          quoted = false;
        } else {
          cur.append(c);
        }
      } else if (c == '"') {
        quoted = true;
        inWord = true;
      } else if (c == ' ' || c == '\t') {
        if (inWord) {
          out.add(cur.toString());
          cur.setLength(0);
          inWord = false;
        }
      } else {
        cur.append(c);
        inWord = true;
      }
    }
    if (quoted) {
      throw new KernelParseException("unterminated quote in: " + line);
    }
    if (inWord) {
      out.add(cur.toString());
    }
    return out;
  }
}
