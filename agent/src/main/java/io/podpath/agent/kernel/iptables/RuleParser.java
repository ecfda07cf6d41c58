package io.podpath.agent.kernel.iptables;

import io.podpath.agent.kernel.Cidr;
import io.podpath.agent.kernel.IpAddr;
import io.podpath.agent.kernel.KernelParseException;
import io.podpath.agent.kernel.Proto;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** Parses the words after {@code -A CHAIN} of one iptables-save line into matches and a target. */
final class RuleParser {
  /** Targets that let the packet continue and change nothing podpath follows. */
  private static final Set<String> CONTINUING =
      Set.of(
          "LOG",
          "NFLOG",
          "ULOG",
          "TRACE",
          "AUDIT",
          "CT",
          "NOTRACK",
          "CONNMARK",
          "TCPMSS",
          "CHECKSUM",
          "CLASSIFY",
          "DSCP",
          "TOS",
          "TTL",
          "HL",
          "SET",
          "IDLETIMER",
          "LED",
          "SECMARK",
          "CONNSECMARK");

  private final List<String> w;
  private final Set<String> chains;
  private int i;
  private final List<Match> matches = new ArrayList<>();
  private Target target = new Target.None();
  private String module = "";

  private RuleParser(List<String> words, Set<String> chains) {
    this.w = words;
    this.chains = chains;
  }

  record Parsed(List<Match> matches, Target target) {}

  static Parsed parse(List<String> words, Set<String> chains) {
    RuleParser p = new RuleParser(words, chains);
    p.run();
    return new Parsed(List.copyOf(p.matches), p.target);
  }

  private void run() {
    while (i < w.size()) {
      boolean neg = false;
      String opt = w.get(i++);
      if (opt.equals("!")) {
        neg = true;
        opt = need(opt);
      }
      switch (opt) {
        case "-s", "--source" -> matches.add(new Match.Address(true, Cidr.parse(need(opt)), neg));
        case "-d", "--destination" ->
            matches.add(new Match.Address(false, Cidr.parse(need(opt)), neg));
        case "-p", "--protocol" -> protocol(need(opt), neg);
        case "-i", "--in-interface" -> matches.add(new Match.Interface(true, need(opt), neg));
        case "-o", "--out-interface" -> matches.add(new Match.Interface(false, need(opt), neg));
        case "-f", "--fragment" -> matches.add(new Match.Fragment(neg));
        case "-m", "--match" -> module = need(opt);
        case "-c", "--set-counters" -> {
          need(opt);
          need(opt);
        }
        case "-j", "--jump" -> target = target(need(opt), false);
        case "-g", "--goto" -> target = target(need(opt), true);
        default -> {
          if (!opt.startsWith("--")) {
            throw new KernelParseException("unexpected word '" + opt + "'");
          }
          moduleOption(opt, neg);
        }
      }
    }
  }

  private void protocol(String p, boolean neg) {
    String l = p.toLowerCase(Locale.ROOT);
    int n;
    if (l.equals("all")) {
      n = 0;
    } else if (l.equals("ipv6-icmp") || l.equals("icmpv6")) {
      n = 58; // ip6tables-save's name for ICMPv6
    } else if (Proto.byName(l).isPresent()) {
      n = Proto.byName(l).get().number();
    } else if (l.matches("\\d{1,3}") && Integer.parseInt(l) < 256) {
      n = Integer.parseInt(l);
    } else {
      // other named protocols (gre, esp, ...): never one podpath traces
      n = 256;
    }
    if (module.isEmpty()) {
      module = l; // -p tcp loads the tcp match's options implicitly
    }
    matches.add(new Match.Protocol(n, neg));
  }

  private void moduleOption(String opt, boolean neg) {
    switch (module + " " + opt) {
      case "tcp --dport",
          "udp --dport",
          "sctp --dport",
          "tcp --destination-port",
          "udp --destination-port",
          "sctp --destination-port" ->
          matches.add(new Match.Ports(false, List.of(range(need(opt))), neg));
      case "tcp --sport",
          "udp --sport",
          "sctp --sport",
          "tcp --source-port",
          "udp --source-port",
          "sctp --source-port" ->
          matches.add(new Match.Ports(true, List.of(range(need(opt))), neg));
      case "multiport --dports", "multiport --destination-ports" ->
          matches.add(new Match.Ports(false, ranges(need(opt)), neg));
      case "multiport --sports", "multiport --source-ports" ->
          matches.add(new Match.Ports(true, ranges(need(opt)), neg));
      case "conntrack --ctstate", "state --state" ->
          matches.add(
              new Match.ConnState(Set.of(need(opt).toUpperCase(Locale.ROOT).split(",")), neg));
      case "addrtype --src-type" -> matches.add(new Match.AddrType(true, types(need(opt)), neg));
      case "addrtype --dst-type" -> matches.add(new Match.AddrType(false, types(need(opt)), neg));
      case "addrtype --limit-iface-in", "addrtype --limit-iface-out" -> {
        // narrows LOCAL to the interface's own addresses: judged on every local address (wider)
      }
      case "mark --mark" -> mark(need(opt), neg);
      case "comment --comment" -> matches.add(new Match.Comment(need(opt)));
      case "icmp --icmp-type" -> matches.add(new Match.IcmpType(false, need(opt), neg));
      case "icmp6 --icmpv6-type", "ipv6-icmp --icmpv6-type" ->
          matches.add(new Match.IcmpType(true, need(opt), neg));
      default -> unevaluable(opt, neg);
    }
  }

  private void unevaluable(String opt, boolean neg) {
    StringBuilder text =
        new StringBuilder("-m ").append(module).append(neg ? " ! " : " ").append(opt);
    while (i < w.size() && !w.get(i).startsWith("-") && !w.get(i).equals("!")) {
      text.append(' ').append(w.get(i++));
    }
    String why =
        switch (module) {
          case "statistic" -> "the kernel picks these packets at random or by count";
          case "set" -> "ipset membership is not read";
          case "recent", "limit", "hashlimit", "connlimit", "quota" ->
              "depends on the traffic seen before";
          case "tcp" -> "TCP flags/options of the packet are not modelled";
          default -> "podpath does not evaluate -m " + module + " " + opt;
        };
    matches.add(new Match.Unevaluable(text.toString(), why));
  }

  private Target target(String name, boolean isGoto) {
    Map<String, String> o = targetOptions();
    if (chains.contains(name)) {
      return isGoto ? new Target.Goto(name) : new Target.Jump(name);
    }
    if (isGoto) {
      return new Target.Unmodeled(name, "goto to a chain that does not exist");
    }
    return switch (name) {
      case "ACCEPT" -> new Target.Accept();
      case "DROP" -> new Target.Drop();
      case "RETURN" -> new Target.Return();
      case "REJECT" -> new Target.Reject(o.getOrDefault("--reject-with", "icmp-port-unreachable"));
      case "MASQUERADE" -> new Target.Masquerade();
      case "DNAT" -> nat(name, o.get("--to-destination"), true);
      case "SNAT" -> nat(name, o.get("--to-source"), false);
      case "REDIRECT" ->
          new Target.Redirect(
              o.containsKey("--to-ports")
                  ? Optional.of(port(o.get("--to-ports")))
                  : Optional.empty());
      case "MARK" -> setMark(o);
      default ->
          CONTINUING.contains(name)
              ? new Target.Continue(name)
              : new Target.Unmodeled(name, "target " + name + " is not modelled");
    };
  }

  private Map<String, String> targetOptions() {
    Map<String, String> o = new LinkedHashMap<>();
    while (i < w.size()) {
      String k = w.get(i++);
      if (!k.startsWith("--")) {
        throw new KernelParseException("unexpected word '" + k + "' after the target");
      }
      String v = i < w.size() && !w.get(i).startsWith("--") ? w.get(i++) : "";
      o.put(k, v);
    }
    return o;
  }

  /**
   * {@code A}, {@code A:P}, {@code V6} or {@code [V6]:P} (ip6tables-save brackets a v6 with a
   * port).
   */
  private static Target nat(String name, @Nullable String to, boolean dnat) {
    if (to == null || to.isEmpty() || to.contains("-")) {
      return new Target.Unmodeled(name, name + " to a range (" + to + ")");
    }
    String addr = to;
    String port = "";
    if (to.startsWith("[")) {
      int close = to.indexOf(']');
      if (close < 0 || (close + 1 < to.length() && to.charAt(close + 1) != ':')) {
        throw new KernelParseException(name + ": bad address " + to);
      }
      addr = to.substring(1, close);
      port = close + 1 < to.length() ? to.substring(close + 2) : "";
    } else if (to.indexOf(':') == to.lastIndexOf(':') && to.indexOf(':') >= 0) {
      addr = to.substring(0, to.indexOf(':'));
      port = to.substring(to.indexOf(':') + 1);
    }
    IpAddr a = IpAddr.parse(name, addr);
    Optional<Integer> p = port.isEmpty() ? Optional.empty() : Optional.of(port(port));
    return dnat ? new Target.Dnat(a, p) : new Target.Snat(a, p);
  }

  private static Target setMark(Map<String, String> o) {
    for (var e : o.entrySet()) {
      String[] vm = e.getValue().split("/", 2);
      long v = hex(vm[0]);
      long m = vm.length > 1 ? hex(vm[1]) : 0xFFFFFFFFL;
      switch (e.getKey()) {
        case "--set-xmark" -> {
          return new Target.SetMark(m, v);
        }
        case "--set-mark" -> {
          return new Target.SetMark(m | v, v);
        }
        case "--or-mark" -> {
          return new Target.SetMark(v, v);
        }
        case "--and-mark" -> {
          return new Target.SetMark(~v & 0xFFFFFFFFL, 0);
        }
        case "--xor-mark" -> {
          return new Target.SetMark(0, v);
        }
        default -> {}
      }
    }
    return new Target.Unmodeled("MARK", "MARK without a known operation");
  }

  private void mark(String vm, boolean neg) {
    String[] p = vm.split("/", 2);
    long v = hex(p[0]);
    long m = p.length > 1 ? hex(p[1]) : 0xFFFFFFFFL;
    matches.add(new Match.Mark(v & m, m, neg));
  }

  private static long hex(String s) {
    try {
      long v = s.startsWith("0x") ? Long.parseLong(s.substring(2), 16) : Long.parseLong(s);
      if (v < 0 || v > 0xFFFFFFFFL) {
        throw new KernelParseException("mark out of range: " + s);
      }
      return v;
    } catch (NumberFormatException e) {
      throw new KernelParseException("not a mark: " + s);
    }
  }

  private static Set<String> types(String s) {
    return Set.of(s.toUpperCase(Locale.ROOT).split(","));
  }

  private static List<Match.PortRange> ranges(String s) {
    List<Match.PortRange> out = new ArrayList<>();
    for (String p : s.split(",")) {
      out.add(range(p));
    }
    return out;
  }

  private static Match.PortRange range(String s) {
    int colon = s.indexOf(':');
    if (colon < 0) {
      int p = port(s);
      return new Match.PortRange(p, p);
    }
    int lo = colon == 0 ? 0 : port(s.substring(0, colon));
    int hi = colon == s.length() - 1 ? 65535 : port(s.substring(colon + 1));
    return new Match.PortRange(lo, hi);
  }

  private static int port(String s) {
    if (s.isEmpty() || s.length() > 5 || !s.chars().allMatch(Character::isDigit)) {
      throw new KernelParseException("not a port: " + s);
    }
    int p = Integer.parseInt(s);
    if (p > 65535) {
      throw new KernelParseException("port out of range: " + s);
    }
    return p;
  }

  private String need(String opt) {
    if (i >= w.size()) {
      throw new KernelParseException(opt + " needs a value");
    }
    return w.get(i++);
  }
}
