package io.podpath.agent.trace;

import java.util.List;

/**
 * One OpenFlow table lookup in an ofproto/trace: the table, whether a flow matched, its match,
 * priority and cookie ({@code 0x...}, "" when the flow has none), its actions (one per line, as
 * printed), the tool's notes ({@code -> ...}, {@code >> ...}), nesting depth, which pass (0 before
 * the first recirculation) and which bridge.
 */
public record TraceStep(
    String bridge,
    int table,
    boolean matched,
    int priority,
    String cookie,
    String match,
    List<String> actions,
    List<String> notes,
    int depth,
    int recirculation) {
  public TraceStep {
    actions = List.copyOf(actions);
    notes = List.copyOf(notes);
  }

  /** The cookie's value, 0 when none. */
  public long cookieValue() {
    if (cookie.length() < 3) {
      return 0;
    }
    try {
      return Long.parseUnsignedLong(cookie.substring(2), 16);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** True when this lookup ended in a drop (an explicit drop action, or no match). */
  public boolean drops() {
    return !matched || actions.stream().anyMatch(a -> a.equals("drop"));
  }
}
