package io.podpath.agent.kernel.iptables;

import io.podpath.agent.kernel.KernelParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Parses {@code iptables-save} output (legacy and nf_tables backends print the same format): {@code
 * *table}, {@code :CHAIN POLICY [p:b]}, {@code -A CHAIN ...}, {@code COMMIT}.
 */
public final class IptablesSave {
  /** Bounds what one answer may make us hold (a node with 100k rules is real; 1M is not). */
  static final int MAX_RULES = 500_000;

  private IptablesSave() {}

  /**
   * Parses {@code iptables-save} output into its tables and chains.
   *
   * @throws KernelParseException naming the line number when a line is not iptables-save's
   */
  public static Ruleset parse(String text) {
    Map<String, Map<String, Chain>> tables = new LinkedHashMap<>();
    String table = null;
    Map<String, Optional<String>> policies = new LinkedHashMap<>();
    Map<String, List<Rule>> rulesOf = new HashMap<>();
    int rules = 0;
    int n = 0;
    for (String line : text.split("\n", -1)) {
      n++;
      line = line.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      try {
        if (line.startsWith("*")) {
          if (table != null) {
            throw new KernelParseException("table " + table + " has no COMMIT");
          }
          table = line.substring(1);
          if (table.isEmpty() || tables.containsKey(table)) {
            throw new KernelParseException("empty or repeated table name");
          }
          policies = new LinkedHashMap<>();
          rulesOf = new HashMap<>();
        } else if (table == null) {
          throw new KernelParseException("line outside a table");
        } else if (line.startsWith(":")) {
          String[] f = line.substring(1).split(" ");
          if (f[0].isEmpty() || policies.containsKey(f[0]) || f.length < 2) {
            throw new KernelParseException("bad chain line");
          }
          policies.put(f[0], f[1].equals("-") ? Optional.empty() : Optional.of(f[1]));
          rulesOf.put(f[0], new ArrayList<>());
        } else if (line.startsWith("-A ")) {
          if (++rules > MAX_RULES) {
            throw new KernelParseException("more than " + MAX_RULES + " rules");
          }
          String chain = line.substring(3).split(" ", 2)[0];
          List<Rule> l = rulesOf.get(chain);
          if (l == null) {
            throw new KernelParseException("rule for undeclared chain " + chain);
          }
          List<String> words = Tokens.split(line);
          RuleParser.Parsed p = RuleParser.parse(words.subList(2, words.size()), policies.keySet());
          l.add(new Rule(table, chain, l.size() + 1, line, p.matches(), p.target()));
        } else if (line.equals("COMMIT")) {
          tables.put(table, build(policies, rulesOf));
          table = null;
        } else {
          throw new KernelParseException("not an iptables-save line");
        }
      } catch (KernelParseException | IllegalArgumentException e) {
        throw new KernelParseException(
            "iptables-save line " + n + ": " + e.getMessage() + ": " + preview(line));
      }
    }
    if (table != null) {
      throw new KernelParseException("iptables-save: table " + table + " has no COMMIT");
    }
    return new Ruleset(tables);
  }

  private static Map<String, Chain> build(
      Map<String, Optional<String>> policies, Map<String, List<Rule>> rulesOf) {
    Map<String, Chain> out = new LinkedHashMap<>();
    for (var e : policies.entrySet()) {
      out.put(
          e.getKey(),
          new Chain(e.getKey(), e.getValue(), rulesOf.getOrDefault(e.getKey(), List.of())));
    }
    return out;
  }

  private static String preview(String line) {
    return line.length() > 200 ? line.substring(0, 200) + "…" : line;
  }
}
