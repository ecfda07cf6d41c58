package io.podpath.agent.trace;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A flow as ofproto/trace prints it ({@code recirc_id=0x3,eth,tcp,reg0=0x4,...}): the bare words
 * (protocol keywords) and the field=value pairs.
 */
public record FlowFields(List<String> words, Map<String, String> fields) {
  public FlowFields {
    words = List.copyOf(words);
    fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
  }

  public static FlowFields parse(String flow) {
    List<String> words = new ArrayList<>();
    Map<String, String> fields = new LinkedHashMap<>();
    for (String t : DatapathActionsParser.splitTopLevel(flow == null ? "" : flow, ',')) {
      int eq = t.indexOf('=');
      if (eq > 0) {
        fields.put(t.substring(0, eq), t.substring(eq + 1));
      } else if (!t.isEmpty()) {
        words.add(t);
      }
    }
    return new FlowFields(words, fields);
  }

  public Optional<String> get(String name) {
    return Optional.ofNullable(fields.get(name));
  }

  /** A numeric field (decimal or 0x hex, a /mask dropped); empty when absent or not a number. */
  public Optional<Long> number(String name) {
    String v = fields.get(name);
    if (v == null) {
      return Optional.empty();
    }
    if (v.contains("/")) {
      v = v.substring(0, v.indexOf('/'));
    }
    try {
      return Optional.of(Long.decode(v));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** The L4 protocol named by a protocol keyword (tcp, udp6, icmp, ...). */
  public Optional<L4Protocol> protocol() {
    for (String w : words) {
      for (L4Protocol p : L4Protocol.values()) {
        if (w.equals(p.keyword(false)) || w.equals(p.keyword(true))) {
          return Optional.of(p);
        }
      }
    }
    return Optional.empty();
  }
}
