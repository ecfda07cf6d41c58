package io.podpath.agent.checks;

import io.podpath.agent.checks.parse.KubeProxyNft;
import io.podpath.agent.checks.parse.KubeProxyRules;
import io.podpath.agent.checks.parse.KubeProxyRules.Portal;
import io.podpath.agent.checks.parse.ParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** What kube-proxy programmed on this node for Services, in whichever mode it runs. */
final class KubeProxyProgramming {
  private KubeProxyProgramming() {}

  /**
   * kube-proxy's programming, in the order its modes are looked for: iptables (a KUBE-SERVICES
   * chain, ip6tables too for IPv6 cluster IPs), nftables (a table {@code ip kube-proxy}, and {@code
   * ip6 kube-proxy} when a wanted cluster IP is IPv6), IPVS. Empty when none is there; {@code
   * nftNote} then says why nftables was not read, if it could not be.
   */
  static Optional<ServiceProgrammingCheck.Programmed> read(
      CheckContext ctx, Findings f, Set<Portal> wanted, StringBuilder nftNote)
      throws AccessException {
    Optional<ServiceProgrammingCheck.Programmed> iptables = iptables(ctx, f, wanted);
    if (iptables.isPresent()) {
      return iptables;
    }
    Optional<ServiceProgrammingCheck.Programmed> nft = nftables(ctx, f, wanted, nftNote);
    if (nft.isPresent()) {
      return nft;
    }
    CommandOutput ipvs = Reads.run(ctx, f, List.of("ipvsadm", "-Ln"));
    if (KubeProxyRules.ipvsAbsent(ipvs.exitCode(), ipvs.stderr())) {
      return Optional.empty();
    }
    if (!ipvs.ok()) {
      throw Reads.failed(ipvs);
    }
    Map<Portal, Set<String>> b = new LinkedHashMap<>(KubeProxyRules.ipvsBackends(ipvs.stdout()));
    b.putAll(NodePorts.fromVips(Map.copyOf(b), ServiceProgrammingCheck.clusterIps(wanted), wanted));
    return Optional.of(
        new ServiceProgrammingCheck.Programmed("IPVS", b, "", "IPVS", "IPVS", "kube-proxy"));
  }

  /**
   * kube-proxy's iptables mode: KUBE-SERVICES in {@code iptables-save}, and in {@code
   * ip6tables-save} when a wanted cluster IP is IPv6 (kube-proxy's IPv6 proxier writes the same
   * chains there): KUBE-NODEPORTS of each family, IPv6 NodePorts from ip6tables-save.
   */
  private static Optional<ServiceProgrammingCheck.Programmed> iptables(
      CheckContext ctx, Findings f, Set<Portal> wanted) throws AccessException {
    CommandOutput save = Reads.run(ctx, f, List.of("iptables-save", "-t", "nat"));
    boolean v4 = save.ok() && KubeProxyRules.hasKubeServicesChain(save.stdout());
    Optional<String> v6 = Optional.empty();
    boolean wants6 = wanted.stream().anyMatch(Portal::isIpv6);
    if (wants6) {
      CommandOutput save6 = Reads.run(ctx, f, List.of("ip6tables-save", "-t", "nat"));
      if (save6.ok() && KubeProxyRules.hasKubeServicesChain(save6.stdout())) {
        v6 = Optional.of(save6.stdout());
      }
    }
    if (!v4 && v6.isEmpty()) {
      return Optional.empty();
    }
    Map<Portal, Set<String>> b = new LinkedHashMap<>();
    if (v4) {
      b.putAll(KubeProxyRules.iptablesBackends(save.stdout()));
      b.putAll(NodePorts.kubeProxy(save.stdout()));
    }
    v6.ifPresent(
        s -> {
          b.putAll(KubeProxyRules.iptablesBackends(s));
          b.putAll(NodePorts.inIpv6(NodePorts.kubeProxy(s)));
        });
    String where =
        v4 && v6.isPresent()
            ? "iptables and ip6tables KUBE-SERVICES"
            : v4 ? "iptables KUBE-SERVICES" : "ip6tables KUBE-SERVICES";
    return Optional.of(
        new ServiceProgrammingCheck.Programmed(
            where,
            b,
            "",
            v4 ? "iptables KUBE-NODEPORTS" : "",
            wants6 ? "ip6tables KUBE-NODEPORTS" : "",
            "kube-proxy"));
  }

  /**
   * kube-proxy's nftables mode: the {@code service-ips} and {@code service-nodeports} verdict maps
   * of its tables, followed to the endpoint chains' DNAT ({@link KubeProxyNft}), NodePorts from
   * each family's table. Empty when no table exists, or when nft cannot run (said in {@code
   * nftNote}).
   */
  private static Optional<ServiceProgrammingCheck.Programmed> nftables(
      CheckContext ctx, Findings f, Set<Portal> wanted, StringBuilder nftNote)
      throws AccessException {
    List<String> families = new ArrayList<>(List.of("ip"));
    if (wanted.stream().anyMatch(Portal::isIpv6)) {
      families.add("ip6");
    }
    Map<Portal, Set<String>> b = new LinkedHashMap<>();
    List<String> read = new ArrayList<>();
    for (String family : families) {
      List<String> argv = List.of("nft", "-j", "list", "table", family, "kube-proxy");
      CommandOutput out;
      try {
        out = Reads.run(ctx, f, argv);
      } catch (AccessException e) {
        if (e.kind() != AccessException.Kind.UNAVAILABLE) {
          throw e;
        }
        f.evidence(String.join(" ", argv), "could not run: " + e.getMessage());
        nftNote
            .append(" (nft could not run, so kube-proxy's nftables mode was not read: ")
            .append(e.getMessage())
            .append(')');
        return Optional.empty();
      }
      if (KubeProxyNft.tableAbsent(out.exitCode(), out.stderr())) {
        continue;
      }
      if (!out.ok()) {
        throw Reads.failed(out);
      }
      KubeProxyNft.Table table;
      try {
        table = KubeProxyNft.parse(out.stdout());
      } catch (ParseException e) {
        throw new AccessException(
            AccessException.Kind.FAILED, out.commandLine() + ": " + e.getMessage(), e);
      }
      read.add(family);
      table
          .backends()
          .forEach(
              (portal, backends) -> {
                Portal p = family.equals("ip6") ? portal.inIpv6() : portal;
                b.computeIfAbsent(p, k -> new TreeSet<>()).addAll(backends);
              });
    }
    if (read.isEmpty()) {
      return Optional.empty();
    }
    String tables =
        read.stream()
            .map(x -> x + " kube-proxy")
            .collect(Collectors.joining(", ", "nftables ", ""));
    return Optional.of(
        new ServiceProgrammingCheck.Programmed(
            tables + " map " + KubeProxyNft.SERVICE_IPS,
            b,
            "",
            read.contains("ip")
                ? "nftables ip kube-proxy map " + KubeProxyNft.SERVICE_NODEPORTS
                : "",
            read.contains("ip6")
                ? "nftables ip6 kube-proxy map " + KubeProxyNft.SERVICE_NODEPORTS
                : "",
            "kube-proxy"));
  }
}
