package io.podpath.agent.checks.parse;

import io.podpath.common.HostPort;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Service portals as kube-proxy programs them: {@code -A KUBE-SERVICES -d IP/32 -p PROTO ...
 * --dport PORT} lines of {@code iptables-save -t nat}, and the virtual services of {@code ipvsadm
 * -Ln}. Each is a {@link Portal}.
 */
public final class KubeProxyRules {
  private KubeProxyRules() {}

  /** The {@link Portal#ip()} of an IPv4 NodePort: every local IPv4 address of the node. */
  public static final String NODE = "*";

  /**
   * The {@link Portal#ip()} of an IPv6 NodePort (a Service with an IPv6 cluster IP): every local
   * IPv6 address; kube-proxy's IPv6 proxier programs it apart from the IPv4 one.
   */
  public static final String NODE6 = "*:";

  /** {@code protocol} lowercase; {@code ip} {@link #NODE} or {@link #NODE6} for a NodePort. */
  public record Portal(String ip, String protocol, int port) {
    public static Portal nodePort(String protocol, int port) {
      return new Portal(NODE, protocol, port);
    }

    public static Portal nodePort6(String protocol, int port) {
      return new Portal(NODE6, protocol, port);
    }

    public boolean isNodePort() {
      return NODE.equals(ip) || NODE6.equals(ip);
    }

    /** An IPv6 cluster IP or an IPv6 NodePort. */
    public boolean isIpv6() {
      return ip.contains(":");
    }

    /** The same NodePort in the IPv6 family. */
    public Portal inIpv6() {
      return isNodePort() ? nodePort6(protocol, port) : this;
    }

    /** "tcp 10.96.0.10:80"; an IPv6 address is bracketed before its port: "tcp [fd00::a]:80". */
    @Override
    public String toString() {
      if (isNodePort()) {
        return "NodePort " + protocol + "/" + port + (isIpv6() ? " (IPv6)" : "");
      }
      return protocol + " " + HostPort.of(ip, port);
    }
  }

  /** Whether the nat table has a KUBE-SERVICES chain at all (kube-proxy in iptables mode). */
  public static boolean hasKubeServicesChain(String iptablesSave) {
    return iptablesSave.lines().anyMatch(l -> l.startsWith(":KUBE-SERVICES "));
  }

  public static Set<Portal> iptablesPortals(String iptablesSave) {
    Set<Portal> out = new LinkedHashSet<>();
    for (String line : iptablesSave.split("\n")) {
      if (!line.startsWith("-A KUBE-SERVICES ")) {
        continue;
      }
      List<String> t = tokens(line);
      String ip = value(t, "-d");
      String proto = value(t, "-p");
      String port = value(t, "--dport");
      if (ip == null || proto == null || port == null) {
        continue;
      }
      int slash = ip.indexOf('/');
      int p = port(port);
      if (p > 0) {
        out.add(new Portal(slash < 0 ? ip : ip.substring(0, slash), proto, p));
      }
    }
    return out;
  }

  /**
   * Each KUBE-SERVICES portal with the backends ("ip:port") its chain DNATs to: KUBE-SERVICES jumps
   * to a KUBE-SVC-* chain, which jumps to KUBE-SEP-* chains (directly or through the
   * KUBE-SVL-/KUBE-EXT- chains of traffic policies), each ending in {@code -j DNAT --to-destination
   * IP:PORT}. A portal whose chain reaches no DNAT maps to an empty set.
   */
  public static Map<Portal, Set<String>> iptablesBackends(String iptablesSave) {
    Map<String, List<List<String>>> rules = new HashMap<>();
    for (String line : iptablesSave.split("\n")) {
      if (line.startsWith("-A ")) {
        List<String> t = tokens(line);
        rules.computeIfAbsent(t.get(1), k -> new ArrayList<>()).add(t);
      }
    }
    Map<Portal, Set<String>> out = new LinkedHashMap<>();
    for (List<String> t : rules.getOrDefault("KUBE-SERVICES", List.of())) {
      String ip = value(t, "-d");
      String proto = value(t, "-p");
      String port = value(t, "--dport");
      String jump = value(t, "-j");
      if (ip == null || proto == null || port == null || jump == null || port(port) < 0) {
        continue;
      }
      int slash = ip.indexOf('/');
      Portal portal = new Portal(slash < 0 ? ip : ip.substring(0, slash), proto, port(port));
      Set<String> backends = new TreeSet<>();
      collect(rules, jump, backends, new HashSet<>());
      out.computeIfAbsent(portal, k -> new TreeSet<>()).addAll(backends);
    }
    return out;
  }

  /**
   * Each NodePort rule of {@code chain} ({@code -p PROTO ... --dport PORT}) with the DNAT targets
   * it leads to, following KUBE- chains: kube-proxy's KUBE-NODEPORTS reaches the endpoints (through
   * KUBE-EXT-/KUBE-SVC-), OVN-Kubernetes' OVN-KUBE-NODEPORT DNATs to the cluster IP:port, whose
   * load balancer then picks the endpoint. A rule reaching no DNAT maps to an empty set.
   */
  public static Map<Portal, Set<String>> nodePortTargets(String iptablesSave, String chain) {
    Map<String, List<List<String>>> rules = new HashMap<>();
    for (String line : iptablesSave.split("\n")) {
      if (line.startsWith("-A ")) {
        List<String> t = tokens(line);
        rules.computeIfAbsent(t.get(1), k -> new ArrayList<>()).add(t);
      }
    }
    Map<Portal, Set<String>> out = new LinkedHashMap<>();
    for (List<String> t : rules.getOrDefault(chain, List.of())) {
      String proto = value(t, "-p");
      String port = value(t, "--dport");
      String jump = value(t, "-j");
      if (proto == null || port == null || jump == null || port(port) < 0) {
        continue;
      }
      Set<String> targets =
          out.computeIfAbsent(Portal.nodePort(proto, port(port)), k -> new TreeSet<>());
      if ("DNAT".equals(jump)) {
        String to = value(t, "--to-destination");
        if (to != null) {
          targets.add(to);
        }
      } else if (jump.startsWith("KUBE-")) {
        collect(rules, jump, targets, new HashSet<>());
      }
    }
    return out;
  }

  private static void collect(
      Map<String, List<List<String>>> rules, String chain, Set<String> into, Set<String> seen) {
    if (!seen.add(chain)) {
      return;
    }
    for (List<String> t : rules.getOrDefault(chain, List.of())) {
      String jump = value(t, "-j");
      if ("DNAT".equals(jump)) {
        String to = value(t, "--to-destination");
        if (to != null) {
          into.add(to);
        }
      } else if (jump != null && jump.startsWith("KUBE-")) {
        collect(rules, jump, into, seen);
      }
    }
  }

  /**
   * Each IPVS virtual service of {@code ipvsadm -Ln} with its real servers ("ip:port", from the
   * {@code -> IP:PORT} lines under it).
   */
  public static Map<Portal, Set<String>> ipvsBackends(String ipvsadm) {
    Map<Portal, Set<String>> out = new LinkedHashMap<>();
    Set<String> current = null;
    for (String line : ipvsadm.split("\n")) {
      Set<Portal> one = ipvsPortals(line);
      if (!one.isEmpty()) {
        current = out.computeIfAbsent(one.iterator().next(), k -> new TreeSet<>());
        continue;
      }
      String[] f = line.trim().split("\\s+");
      // "-> RemoteAddress:Port ..." is the header; real servers start with a digit or "[" (v6)
      if (current != null
          && f.length >= 2
          && f[0].equals("->")
          && f[1].matches("[0-9\\[].*:\\d+")) {
        current.add(f[1]);
      }
    }
    return out;
  }

  /** Lines such as {@code TCP 10.96.0.10:80 rr} of {@code ipvsadm -Ln}. */
  public static Set<Portal> ipvsPortals(String ipvsadm) {
    Set<Portal> out = new LinkedHashSet<>();
    for (String line : ipvsadm.split("\n")) {
      String[] f = line.trim().split("\\s+");
      if (f.length < 2 || !(f[0].equals("TCP") || f[0].equals("UDP") || f[0].equals("SCTP"))) {
        continue;
      }
      int colon = f[1].lastIndexOf(':');
      if (colon < 0) {
        continue;
      }
      String ip = f[1].substring(0, colon).replace("[", "").replace("]", "");
      int p = port(f[1].substring(colon + 1));
      if (p > 0) {
        out.add(new Portal(ip, f[0].toLowerCase(Locale.ROOT), p));
      }
    }
    return out;
  }

  /** A port 1-65535, or -1 for anything else (the line is then not a portal). */
  private static int port(String text) {
    if (text.isEmpty() || text.length() > 5 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return -1;
    }
    int p = Integer.parseInt(text);
    return p >= 1 && p <= 65535 ? p : -1;
  }

  /** ipvsadm's answer on a kernel without IP_VS (the tool's own wording, exit 2). */
  public static boolean ipvsAbsent(int exitCode, String stderr) {
    return exitCode != 0 && stderr.contains("Protocol not available");
  }

  private static @Nullable String value(List<String> tokens, String flag) {
    int i = tokens.indexOf(flag);
    return i >= 0 && i + 1 < tokens.size() ? tokens.get(i + 1) : null;
  }

  /** Splits an iptables-save rule, keeping quoted comments as one token. */
  private static List<String> tokens(String line) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '"') {
        quoted = !quoted;
      } else if (c == ' ' && !quoted) {
        if (cur.length() > 0) {
          out.add(cur.toString());
          cur.setLength(0);
        }
      } else {
        cur.append(c);
      }
    }
    if (cur.length() > 0) {
      out.add(cur.toString());
    }
    return out;
  }
}
