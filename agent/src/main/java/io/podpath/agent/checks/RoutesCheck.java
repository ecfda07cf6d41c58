package io.podpath.agent.checks;

import io.podpath.agent.errors.ProtocolException;
import io.podpath.agent.ip.IpArgv;
import io.podpath.agent.ip.IpJson;
import io.podpath.agent.ip.IpLiteral;
import io.podpath.agent.ip.IpRoute;
import java.net.InetAddress;
import java.util.Optional;

/**
 * {@code ip route get POD_IP} from the host goes where the CNI expects: for OVN-Kubernetes, out of
 * the node's management port.
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
    Optional<String> expected;
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
                remediation(expected.get()));
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
                remediation(expected.get()));
          }
        }
      }
    } catch (AccessException | ProtocolException e) {
      return f.unknown("ip route get failed: " + e.getMessage());
    }
    return f.result("routes to " + checked + " pod IPs go out " + expected.get());
  }

  private static String remediation(String dev) {
    return "Restore the pod-subnet route via "
        + dev
        + " (the CNI node component installs it;"
        + " restarting it re-creates it) and look for a conflicting, more specific route.";
  }
}
