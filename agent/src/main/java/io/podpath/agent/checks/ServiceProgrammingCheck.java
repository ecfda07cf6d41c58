package io.podpath.agent.checks;

import io.podpath.agent.checks.parse.KubeProxyRules.Portal;
import io.podpath.agent.ip.IpLiteral;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Every Service port of the inventory is programmed ON THIS NODE, with the Service's ready
 * endpoints as backends: on OVN nodes by a load balancer applied where this node's pods enter the
 * logical network (their switch, or the first router), else by kube-proxy's iptables chains, its
 * nftables table (verdict maps service-ips / service-nodeports) or IPVS virtual services. A backend
 * that is no ready endpoint (stale) sends connections to a dead pod; a ready endpoint missing from
 * the backends only gets no traffic from this node. NodePorts too (see {@link NodePorts}): a
 * NodePort this node does not program refuses clients coming through it.
 */
public final class ServiceProgrammingCheck implements Check {
  public static final String ID = "service-programming";

  @Override
  public String id() {
    return ID;
  }

  /**
   * What the node programs: backends per portal (NodePorts included), where the cluster IPs and
   * each family's NodePorts were read ({@code nodePortWhere}, {@code nodePort6Where}: "" = not
   * read), and which Service proxy programs them (the one a fix restarts).
   */
  record Programmed(
      String where,
      Map<Portal, Set<String>> backends,
      String notHereHint,
      String nodePortWhere,
      String nodePort6Where,
      String proxy) {
    /** Where {@code portal} was read ("" = not read). */
    String whereOf(Portal portal) {
      if (!portal.isNodePort()) {
        return where;
      }
      return portal.isIpv6() ? nodePort6Where : nodePortWhere;
    }

    /** Where the NodePorts of the families {@code wanted} has were read. */
    String nodePortsWhere(Set<Portal> wanted) {
      Set<String> out = new java.util.LinkedHashSet<>();
      wanted.stream()
          .filter(Portal::isNodePort)
          .map(this::whereOf)
          .filter(w -> !w.isEmpty())
          .forEach(out::add);
      return String.join(" and ", out);
    }
  }

  @Override
  public CheckResult run(CheckContext ctx) {
    Findings f = new Findings(ID);
    Map<Portal, ClusterFacts.Service> wanted = wanted(ctx.cluster());
    if (wanted.isEmpty()) {
      return f.notApplicable("no Service with a cluster IP in the inventory");
    }
    Programmed programmed;
    try {
      if (ctx.ovs().snapshot().isOvn()) {
        programmed = ovn(ctx, f, wanted.keySet());
      } else {
        StringBuilder nftNote = new StringBuilder();
        Optional<Programmed> kp = KubeProxyProgramming.read(ctx, f, wanted.keySet(), nftNote);
        if (kp.isEmpty()) {
          return f.notApplicable(
              "no KUBE-SERVICES chain, no nftables table kube-proxy and IPVS absent from the"
                  + " kernel: no kube-proxy iptables, nftables or IPVS programming here"
                  + nftNote);
        }
        programmed = kp.get();
      }
    } catch (AccessException e) {
      return f.unknown("could not read Service programming: " + e.getMessage());
    }
    judge(ctx, f, wanted, programmed);
    return f.result(
        "all "
            + wanted.size()
            + " Service ports programmed in "
            + programmed.where()
            + (wanted.keySet().stream().anyMatch(Portal::isNodePort)
                ? " (NodePorts in " + programmed.nodePortsWhere(wanted.keySet()) + ")"
                : "")
            + (backendsKnown(wanted) ? " with their ready endpoints" : ""));
  }

  private static boolean backendsKnown(Map<Portal, ClusterFacts.Service> wanted) {
    return wanted.values().stream().allMatch(s -> s.readyBackends().isPresent());
  }

  static void judge(
      CheckContext ctx, Findings f, Map<Portal, ClusterFacts.Service> wanted, Programmed p) {
    Map<String, String> notProgrammed = new TreeMap<>();
    Map<String, Set<String>> stale = new TreeMap<>();
    Map<String, Set<String>> missing = new TreeMap<>();
    for (Map.Entry<Portal, ClusterFacts.Service> w : wanted.entrySet()) {
      Portal portal = w.getKey();
      String name = portal + " (" + w.getValue() + ")";
      String where = p.whereOf(portal);
      if (where.isEmpty()) {
        continue; // NodePorts not read: a WARN says so
      }
      Set<String> have = p.backends().get(portal);
      f.evidence(name + " backends in " + where, have == null ? "not programmed" : have);
      if (have == null) {
        notProgrammed.put(name, where);
        continue;
      }
      Optional<Set<String>> expected = expectedBackends(w.getValue(), portal);
      if (expected.isEmpty()) {
        continue;
      }
      f.evidence(name + " ready endpoints", expected.get());
      Set<String> s = new TreeSet<>(have);
      s.removeAll(expected.get());
      Set<String> m = new TreeSet<>(expected.get());
      m.removeAll(have);
      if (!s.isEmpty()) {
        stale.put(name, s);
      }
      if (!m.isEmpty()) {
        missing.put(name, m);
      }
    }
    for (String where : new TreeSet<>(notProgrammed.values())) {
      List<String> names =
          notProgrammed.entrySet().stream()
              .filter(e -> e.getValue().equals(where))
              .map(Map.Entry::getKey)
              .toList();
      f.problem(
          CheckStatus.FAIL,
          names.size()
              + " Service port(s) not programmed on "
              + ctx.nodeName()
              + " in "
              + where
              + ": "
              + names
              + p.notHereHint(),
          p.proxy()
              + " on "
              + ctx.nodeName()
              + " has not programmed these Services: look at its log there and its connection to"
              + " the API server; restarting it re-syncs them.");
    }
    if (!stale.isEmpty()) {
      f.problem(
          CheckStatus.FAIL,
          "stale backends (not a ready endpoint) on " + ctx.nodeName() + ": " + stale,
          "Connections from this node to these Services sometimes go to a pod that is gone or not"
              + " ready: "
              + p.proxy()
              + " on "
              + ctx.nodeName()
              + " missed an EndpointSlice update; look at its log and restart it to re-sync.");
    }
    if (!missing.isEmpty()) {
      f.problem(
          CheckStatus.WARN,
          "ready endpoints missing from the backends on " + ctx.nodeName() + ": " + missing,
          p.proxy()
              + " on "
              + ctx.nodeName()
              + " lags behind the EndpointSlices: look at its log and its API connection.");
    }
  }

  private static Optional<Set<String>> expectedBackends(ClusterFacts.Service s, Portal portal) {
    // a NodePort's backends are its Service port's endpoints of the NodePort's family
    int servicePort =
        !portal.isNodePort()
            ? portal.port()
            : s.ports().stream()
                .filter(
                    x -> x.nodePort() == portal.port() && x.protocol().equals(portal.protocol()))
                .mapToInt(ClusterFacts.Port::port)
                .findFirst()
                .orElse(-1);
    String family = portal.isIpv6() ? "::" : "0.0.0.0";
    return s.readyBackends()
        .map(
            list -> {
              Set<String> out = new TreeSet<>();
              list.stream()
                  .filter(
                      b ->
                          b.protocol().equals(portal.protocol())
                              && b.servicePort() == servicePort
                              && sameFamily(b.ip(), family))
                  .forEach(b -> out.add(b.address()));
              return out;
            });
  }

  private static boolean sameFamily(String a, String b) {
    return a.contains(":") == b.contains(":");
  }

  /** OVN: the VIPs of the load balancers applied to this node's entry datapaths. */
  private static Programmed ovn(CheckContext ctx, Findings f, Set<Portal> wanted)
      throws AccessException {
    OvnLoadBalancers lbs = ctx.ovs().ovnLoadBalancers();
    f.evidence("datapaths this node's pods enter", new TreeSet<>(lbs.localDatapaths()));
    Map<Portal, Set<String>> out = new LinkedHashMap<>();
    List<OvnLoadBalancers.Lb> applied = lbs.appliedHere();
    f.evidence(
        "OVN load balancers applied there",
        applied.stream().map(OvnLoadBalancers.Lb::name).sorted().toList());
    for (OvnLoadBalancers.Lb lb : applied) {
      lb.vips().forEach((vip, backends) -> add(out, lb.protocol(), vip, backends, wanted));
    }
    // Where a missing VIP IS applied: tells "removed from this node" from "never created".
    StringBuilder hint = new StringBuilder();
    for (Portal w : wanted) {
      if (out.containsKey(w) || w.isNodePort()) {
        continue;
      }
      for (OvnLoadBalancers.Lb lb : lbs.balancers()) {
        Map<Portal, Set<String>> one = new LinkedHashMap<>();
        lb.vips().forEach((vip, backends) -> add(one, lb.protocol(), vip, backends, Set.of(w)));
        if (one.containsKey(w)) {
          hint.append("; ")
              .append(w)
              .append(" is in load balancer ")
              .append(lb.name())
              .append(" applied only to ")
              .append(new TreeSet<>(lb.datapaths()));
        }
      }
    }
    String nodePortWhere = "";
    String nodePort6Where = "";
    Map<Portal, Set<String>> vips = Map.copyOf(out);
    if (wanted.stream().anyMatch(w -> w.isNodePort() && !w.isIpv6())) {
      Optional<String> save = natTable(ctx, f, "iptables-save");
      if (save.isPresent()) {
        nodePortWhere = "iptables OVN-KUBE-NODEPORT and the OVN load balancers";
        out.putAll(NodePorts.ovn(save.get(), vips, clusterIps(wanted), wanted, hint, false));
      }
    }
    if (wanted.stream().anyMatch(w -> w.isNodePort() && w.isIpv6())) {
      Optional<String> save6 = natTable(ctx, f, "ip6tables-save");
      if (save6.isPresent()) {
        nodePort6Where = "ip6tables OVN-KUBE-NODEPORT and the OVN load balancers";
        out.putAll(NodePorts.ovn(save6.get(), vips, clusterIps(wanted), wanted, hint, true));
      }
    }
    return new Programmed(
        "OVN load balancers of " + new TreeSet<>(lbs.localDatapaths()),
        out,
        hint.toString(),
        nodePortWhere,
        nodePort6Where,
        "ovnkube-node");
  }

  /** The nat table of {@code tool}, or empty with a WARN (its NodePorts then not judged). */
  private static Optional<String> natTable(CheckContext ctx, Findings f, String tool)
      throws AccessException {
    CommandOutput save = Reads.run(ctx, f, List.of(tool, "-t", "nat"));
    if (save.ok()) {
      return Optional.of(save.stdout());
    }
    f.problem(
        CheckStatus.WARN,
        "NodePorts not checked: " + tool + " -t nat failed (exit " + save.exitCode() + ")",
        "Give the agent iptables-save (the image's iptables package) and NET_ADMIN in the host"
            + " network namespace.");
    return Optional.empty();
  }

  static Set<String> clusterIps(Set<Portal> wanted) {
    Set<String> out = new TreeSet<>();
    wanted.stream().filter(w -> !w.isNodePort()).forEach(w -> out.add(w.ip()));
    return out;
  }

  /** One OVN vips entry: "ip:port" (or "[v6]:port", or a bare IP for every port). */
  static void add(
      Map<Portal, Set<String>> out,
      String protocol,
      String vip,
      String backends,
      Set<Portal> wanted) {
    Set<String> b = new TreeSet<>();
    for (String x : backends.split(",")) {
      if (!x.isBlank()) {
        b.add(x.trim());
      }
    }
    int colon = vip.lastIndexOf(':');
    boolean hasPort =
        vip.startsWith("[") ? vip.contains("]:") : colon > 0 && vip.indexOf(':') == colon;
    if (!hasPort) {
      String ip = vip.replace("[", "").replace("]", "");
      wanted.stream()
          .filter(w -> w.ip().equals(ip) && w.protocol().equals(protocol))
          .forEach(w -> out.computeIfAbsent(w, k -> new TreeSet<>()).addAll(b));
      return;
    }
    String ip = vip.substring(0, colon).replace("[", "").replace("]", "");
    try {
      out.computeIfAbsent(
              new Portal(ip, protocol, Integer.parseInt(vip.substring(colon + 1))),
              k -> new TreeSet<>())
          .addAll(b);
    } catch (NumberFormatException e) {
      // not a VIP this check understands; the load balancer stays in the evidence
    }
  }

  /** Every (cluster IP, protocol, port) of the inventory, with its Service; headless skipped. */
  static Map<Portal, ClusterFacts.Service> wanted(ClusterFacts cluster) {
    Map<Portal, ClusterFacts.Service> out = new TreeMap<>(Comparator.comparing(Portal::toString));
    for (ClusterFacts.Service s : cluster.services()) {
      for (String ip : s.clusterIps()) {
        if (IpLiteral.tryParse(ip).isEmpty()) {
          continue; // headless ("None") Services have no portal
        }
        for (ClusterFacts.Port p : s.ports()) {
          out.put(new Portal(ip, p.protocol(), p.port()), s);
          if (p.nodePort() > 0) {
            Portal np = Portal.nodePort(p.protocol(), p.nodePort());
            out.put(ip.contains(":") ? np.inIpv6() : np, s);
          }
        }
      }
    }
    return out;
  }
}
