package io.podpath.agent.trace;

import io.podpath.agent.ip.IpLiteral;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Parses a "Datapath actions:" line of the userspace datapath into {@link DpAction}s. Total: an
 * action it does not know becomes {@link DpAction.Other}.
 */
public final class DatapathActionsParser {
  private DatapathActionsParser() {}

  public static List<DpAction> parse(String line) {
    List<DpAction> out = new ArrayList<>();
    if (line == null) {
      return out;
    }
    for (String a : splitTopLevel(line.strip(), ',')) {
      if (!a.isEmpty()) {
        out.add(action(a));
      }
    }
    return out;
  }

  private static DpAction action(String a) {
    try {
      if (a.chars().allMatch(Character::isDigit)) {
        return new DpAction.Output(Integer.parseInt(a), a);
      }
      if (a.equals("drop")) {
        return new DpAction.Drop(a);
      }
      String name = a.contains("(") ? a.substring(0, a.indexOf('(')) : a;
      String inner =
          a.contains("(") && a.endsWith(")") ? a.substring(a.indexOf('(') + 1, a.length() - 1) : "";
      return switch (name) {
        case "recirc" -> new DpAction.Recirc(inner, a);
        case "hash" -> new DpAction.Hash(a);
        case "ct" -> new DpAction.Ct(inner, a);
        case "set", "masked_set" -> setField(inner, a);
        case "userspace" -> new DpAction.Userspace(inner.contains("controller("), a);
        case "tnl_push" -> tunnelPush(inner, a);
        case "tnl_pop" -> new DpAction.TunnelPop(Integer.parseInt(inner.strip()), a);
        case "clone" -> new DpAction.Clone(parse(inner), a);
        default -> new DpAction.Other(a);
      };
    } catch (RuntimeException e) {
      return new DpAction.Other(a);
    }
  }

  private static DpAction setField(String inner, String text) {
    int p = inner.indexOf('(');
    if (p < 0 || !inner.endsWith(")")) {
      return new DpAction.Other(text);
    }
    return new DpAction.SetField(
        inner.substring(0, p), keyValues(inner.substring(p + 1, inner.length() - 1)), text);
  }

  private static DpAction tunnelPush(String inner, String text) {
    int tnlPort = Integer.parseInt(call(inner, "tnl_port").orElse("-1").strip());
    int outPort = Integer.parseInt(call(inner, "out_port").orElse("-1").strip());
    String header = call(inner, "header").orElse("");
    Optional<String> ip =
        call(header, "ipv4").isPresent() ? call(header, "ipv4") : call(header, "ipv6");
    Map<String, String> ipFields = keyValues(ip.orElse(""));
    Optional<InetAddress> src = IpLiteral.tryParse(ipFields.getOrDefault("src", ""));
    Optional<InetAddress> dst = IpLiteral.tryParse(ipFields.getOrDefault("dst", ""));
    String type = "unknown";
    long vni = -1;
    List<GeneveOption> options = new ArrayList<>();
    for (String t : List.of("geneve", "vxlan", "gre", "erspan", "gtpu")) {
      Optional<String> body = call(header, t);
      if (body.isPresent()) {
        type = t;
        Map<String, String> kv = keyValues(body.get());
        if (kv.containsKey("vni")) {
          vni = Long.decode(kv.get("vni"));
        } else if (kv.containsKey("key")) {
          vni = Long.decode(kv.get("key"));
        }
        call(body.get(), "options").ifPresent(o -> options.addAll(geneveOptions(o)));
        break;
      }
    }
    return new DpAction.TunnelPush(tnlPort, outPort, type, src, dst, vni, options, text);
  }

  /** {class=0x102,type=0x80,len=4,0x10002}{...}: OVS's Geneve option notation. */
  static List<GeneveOption> geneveOptions(String text) {
    List<GeneveOption> out = new ArrayList<>();
    int i = 0;
    while ((i = text.indexOf('{', i)) >= 0) {
      int end = text.indexOf('}', i);
      if (end < 0) {
        break;
      }
      Map<String, String> kv = keyValues(text.substring(i + 1, end));
      int cls = Integer.decode(kv.getOrDefault("class", "0"));
      int type = Integer.decode(kv.getOrDefault("type", "0"));
      int len = Integer.decode(kv.getOrDefault("len", "0"));
      String value =
          kv.entrySet().stream()
              .filter(e -> e.getValue().isEmpty() && e.getKey().startsWith("0x"))
              .map(Map.Entry::getKey)
              .findFirst()
              .orElse("0x0");
      value = value.contains("/") ? value.substring(0, value.indexOf('/')) : value;
      out.add(new GeneveOption(cls, type, bytes(value.substring(2), len)));
      i = end + 1;
    }
    return out;
  }

  private static byte[] bytes(String hex, int len) {
    byte[] b = new byte[len];
    String h = hex.length() > len * 2 ? hex.substring(hex.length() - len * 2) : hex;
    for (int k = 0; k < h.length(); k++) {
      int nibble = Character.digit(h.charAt(h.length() - 1 - k), 16);
      b[len - 1 - k / 2] |= (byte) (k % 2 == 0 ? nibble : nibble << 4);
    }
    return b;
  }

  /** The argument text of the first {@code name(...)} call inside {@code text}, at any depth. */
  static Optional<String> call(String text, String name) {
    int from = 0;
    while (true) {
      int i = text.indexOf(name + "(", from);
      if (i < 0) {
        return Optional.empty();
      }
      boolean boundary =
          i == 0 || (!Character.isLetterOrDigit(text.charAt(i - 1)) && text.charAt(i - 1) != '_');
      int open = i + name.length();
      if (boundary) {
        int depth = 0;
        for (int k = open; k < text.length(); k++) {
          char c = text.charAt(k);
          if (c == '(') {
            depth++;
          } else if (c == ')' && --depth == 0) {
            return Optional.of(text.substring(open + 1, k));
          }
        }
        return Optional.empty();
      }
      from = i + 1;
    }
  }

  /** {@code a=1,b=2,flag}: top-level key=value pairs (a bare word maps to ""). */
  static Map<String, String> keyValues(String text) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String part : splitTopLevel(text, ',')) {
      int eq = part.indexOf('=');
      int paren = part.indexOf('(');
      if (eq > 0 && (paren < 0 || eq < paren)) {
        out.put(part.substring(0, eq).strip(), part.substring(eq + 1).strip());
      } else if (!part.isBlank()) {
        out.put(part.strip(), "");
      }
    }
    return out;
  }

  /** Splits on {@code sep} outside any parentheses or braces. */
  static List<String> splitTopLevel(String text, char sep) {
    List<String> out = new ArrayList<>();
    int depth = 0;
    int start = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '(' || c == '{' || c == '[') {
        depth++;
      } else if (c == ')' || c == '}' || c == ']') {
        depth = Math.max(0, depth - 1);
      } else if (c == sep && depth == 0) {
        out.add(text.substring(start, i).strip());
        start = i + 1;
      }
    }
    if (start <= text.length()) {
      String last = text.substring(start).strip();
      if (!last.isEmpty() || !out.isEmpty()) {
        out.add(last);
      }
    }
    return out;
  }

  /** The datapath actions of every pass of a trace. */
  static List<DpAction> ofAllPasses(ParsedTrace parsed) {
    List<DpAction> out = new ArrayList<>();
    for (TracePass pass : parsed.passes()) {
      out.addAll(parse(pass.datapathActions()));
    }
    return out;
  }
}
