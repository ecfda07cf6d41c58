package io.podpath.agent.checks;

import io.podpath.agent.ip.IpLiteral;
import io.podpath.agent.pod.PodKey;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A real UDP DNS query from a local pod's netns to the cluster DNS Service IP. */
public final class DnsCheck implements Check {
  public static final String ID = "dns";
  static final String QUESTION = "kubernetes.default.svc.cluster.local";
  private static final int TIMEOUT_MILLIS = 1000;
  static final int ATTEMPTS = 5;

  @Override
  public String id() {
    return ID;
  }

  @Override
  public CheckResult run(CheckContext ctx) {
    Findings f = new Findings(ID);
    String dns = ctx.cluster().dnsServiceIp();
    if (dns.isEmpty()) {
      return f.notApplicable("no cluster DNS Service in the inventory");
    }
    Optional<InetAddress> server = IpLiteral.tryParse(dns);
    if (server.isEmpty()) {
      return f.unknown("cluster DNS IP is not an IP literal: " + dns);
    }
    if (ctx.cluster().localPods().isEmpty()) {
      return f.notApplicable("no local pod to query from");
    }
    // The first pod whose netns can be entered asks, several times: a Service VIP spreads the
    // queries over its backends, so one broken backend shows as some queries lost (WARN).
    PodKey pod = null;
    List<DnsQuery.Answer> answers = null;
    for (ClusterFacts.LocalPod p : ctx.cluster().localPods()) {
      try {
        answers =
            ctx.pods()
                .call(
                    p.pod(),
                    () -> {
                      List<DnsQuery.Answer> out = new ArrayList<>();
                      for (int i = 0; i < ATTEMPTS; i++) {
                        out.add(DnsQuery.ask(server.get(), QUESTION, TIMEOUT_MILLIS));
                      }
                      return out;
                    });
        pod = p.pod();
        break;
      } catch (AccessException e) {
        f.evidence("pod " + p.pod(), "not usable for the query: " + e.getMessage());
      }
    }
    if (answers == null) {
      return f.unknown("no local pod's network namespace could be entered");
    }
    String source =
        ATTEMPTS + " UDP DNS queries A " + QUESTION + " from pod " + pod + " to " + dns + ":53";
    List<DnsQuery.Answer> ok = answers.stream().filter(DnsQuery.Answer::answered).toList();
    f.evidence(
        source,
        ok.size()
            + "/"
            + ATTEMPTS
            + " answered"
            + (ok.isEmpty()
                ? ""
                : "; first: "
                    + (ok.get(0).isResponse()
                        ? "response rcode=" + ok.get(0).rcode() + " answers=" + ok.get(0).answers()
                        : "datagram with our id came back (not a DNS response)")
                    + " in "
                    + ok.get(0).rttMicros()
                    + " µs"));
    String fix =
        "Check the DNS Service's endpoints (kubectl -n kube-system get endpointslices) and"
            + " trace the path: podpath trace "
            + pod
            + " "
            + dns
            + " --udp --dst-port 53.";
    if (ok.isEmpty()) {
      f.problem(
          CheckStatus.FAIL,
          "DNS " + dns + " answered none of " + ATTEMPTS + " queries from " + pod,
          fix);
      return f.result("");
    }
    if (ok.size() < ATTEMPTS) {
      f.problem(
          CheckStatus.WARN,
          "DNS "
              + dns
              + " answered only "
              + ok.size()
              + "/"
              + ATTEMPTS
              + " queries from "
              + pod
              + ": some backend is unreachable",
          fix);
    }
    DnsQuery.Answer a = ok.get(0);
    if (a.isResponse() && a.rcode() == 2) {
      f.problem(
          CheckStatus.WARN,
          "DNS " + dns + " answered SERVFAIL",
          "The DNS server is reachable but failing: look at its log (e.g. CoreDNS).");
    }
    return f.result("DNS " + dns + " answered from " + pod + " in " + a.rttMicros() / 1000 + " ms");
  }
}
