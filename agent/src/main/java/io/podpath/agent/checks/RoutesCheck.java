package io.podpath.agent.checks;

import io.podpath.agent.cni.Cni;
import io.podpath.agent.cni.CniProfile;
import io.podpath.agent.errors.ProtocolException;
import io.podpath.agent.ip.IpArgv;
import io.podpath.agent.ip.IpJson;
import io.podpath.agent.ip.IpLiteral;
import io.podpath.agent.ip.IpRoute;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/**
 * {@code ip route get POD_IP} for each local pod from the host goes where the CNI expects: for
 * OVN-Kubernetes, out of the node's management port; for the other CNIs, out of the host gateway
 * port their profile names.
 */
public final class RoutesCheck implements Check {
  public static final String ID = "routes";

  @Override
  public String id() {
    return ID;
  }

  @Override
  public CheckResult run(CheckContext ctx) {
    Findings f = new Findings(ID);
    if (ctx.cluster().localPods().isEmpty()) {
      return f.notApplicable("no local pod in the cluster context");
    }
    Optional<CniProfile> profile = ctx.ovs().cni().filter(p -> p.cni() != Cni.OVN_KUBERNETES);
    Optional<String> expected;
    if (profile.isPresent()) {
      // the CNI's host gateway port (tun0, antrea-gw0, ovn0): its node agent routes the pod
      // network through it
      expected = profile.get().gatewayPort();
      if (expected.isEmpty()) {
        return f.notApplicable(
            profile.get().cni()
                + " has no host gateway port in OVS: no expected route to compare with");
      }
      f.evidence("CNI", profile.get().cni() + ", host gateway port " + expected.get());
    } else {
      try {
        expected =
            ctx.ovs().snapshot().interfaces().stream()
                .filter(PodPlumbingCheck::isManagementPort)
                .map(OvsSnapshot.Iface::name)
                .findFirst();
      } catch (AccessException e) {
        return f.unknown("ovsdb unreachable: " + e.getMessage());
      }
      if (expected.isEmpty()) {
        return f.notApplicable(
            "no CNI management port (OVN-Kubernetes k8s-NODE) on the bridge:"
                + " no expected route to compare with");
      }
    }
    f.evidence("expected device", expected.get());
    int checked = 0;
    try {
      for (ClusterFacts.LocalPod p : ctx.cluster().localPods()) {
        for (String ip : p.ips()) {
          Optional<InetAddress> addr = IpLiteral.tryParse(ip);
          if (addr.isEmpty()) {
            f.evidence("pod " + p.pod(), "not an IP literal, skipped: " + ip);
            continue;
          }
          CommandOutput out = Reads.run(ctx, f, IpArgv.routeGet(addr.get()));
          checked++;
          if (!out.ok()) {
            f.problem(
                CheckStatus.FAIL,
                "no route to " + p.pod() + " " + ip + ": " + out.stderr().trim(),
                remediation(ctx, f, addr.get(), expected.get()));
            continue;
          }
          IpRoute r = IpJson.routeGet(out.stdout());
          if (!r.type().equals("unicast") || !r.device().equals(expected.get())) {
            f.problem(
                CheckStatus.FAIL,
                "route to "
                    + p.pod()
                    + " "
                    + ip
                    + " goes "
                    + r.type()
                    + " dev "
                    + r.device()
                    + (r.gateway().isEmpty() ? "" : " via " + r.gateway())
                    + ", expected dev "
                    + expected.get(),
                remediation(ctx, f, addr.get(), expected.get()));
          }
        }
      }
    } catch (AccessException | ProtocolException e) {
      return f.unknown("ip route get failed: " + e.getMessage());
    }
    return f.result("routes to " + checked + " pod IPs go out " + expected.get());
  }

  /**
   * What to change, from the main table's route to {@code ip}: a more specific route that overrides
   * the pod subnet's (an {@code unreachable} host route, one out of another device) is named with
   * the command that removes it; without any route out of {@code dev}, the CNI's node agent that
   * installs it; when the table agrees with the CNI, a policy rule decided otherwise.
   */
  private static String remediation(CheckContext ctx, Findings f, InetAddress ip, String dev) {
    String agent;
    try {
      agent = NodeAgent.of(ctx, ctx.ovs().snapshot());
    } catch (AccessException e) {
      agent = NodeAgent.GENERIC;
    }
    List<IpRoute> table;
    try {
      CommandOutput o = Reads.run(ctx, f, IpArgv.routeShow(ip instanceof Inet6Address));
      table = o.ok() ? IpJson.routes(o.stdout()) : List.of();
    } catch (AccessException | ProtocolException e) {
      f.evidence("ip route show", "unreadable: " + e.getMessage());
      table = List.of(); // the fix then falls back to re-installing the pod-subnet route
    }
    Optional<IpRoute> best = TunnelBudget.longestMatch(table, ip, r -> true);
    Optional<IpRoute> subnet =
        TunnelBudget.longestMatch(
            table, ip, r -> r.type().equals("unicast") && r.device().equals(dev));
    String reinstall =
        "restart " + agent + " on this node, which installs the pod-subnet route via " + dev + ".";
    if (best.isPresent() && !best.equals(subnet)) {
      IpRoute r = best.get();
      String typed = (r.type().equals("unicast") ? "" : r.type() + " ") + r.destination();
      return "The main table's most specific route to "
          + IpLiteral.format(ip)
          + " is '"
          + show(r)
          + "'"
          + subnet.map(s -> ", which overrides the pod subnet's '" + show(s) + "'").orElse("")
          + ": delete it (ip route del "
          + typed
          + ") unless something on the node needs it, and find what added it"
          + (r.protocol().isEmpty() ? "" : " (proto " + r.protocol() + ")")
          + "."
          + (subnet.isEmpty() ? " No route leaves by " + dev + " either: " + reinstall : "");
    }
    if (subnet.isEmpty()) {
      return "No route to " + IpLiteral.format(ip) + " leaves by " + dev + ": " + reinstall;
    }
    return "The main table sends "
        + IpLiteral.format(ip)
        + " by "
        + dev
        + " ('"
        + show(subnet.get())
        + "') but the kernel chose otherwise: a policy rule overrides it (ip rule show; ip route"
        + " get "
        + IpLiteral.format(ip)
        + ").";
  }

  private static String show(IpRoute r) {
    return (r.type().equals("unicast") ? "" : r.type() + " ")
        + r.destination()
        + (r.gateway().isEmpty() ? "" : " via " + r.gateway())
        + (r.device().isEmpty() ? "" : " dev " + r.device());
  }
}
