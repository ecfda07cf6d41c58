package io.podpath.agent.checks;

import io.podpath.agent.ip.IpLiteral;
import io.podpath.agent.pod.PodKey;
import io.podpath.common.HostPort;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

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
    Optional<Asked> asked = ask(ctx, f, server.get());
    if (asked.isEmpty()) {
      return f.unknown("no local pod's network namespace could be entered");
    }
    PodKey pod = asked.get().pod();
    List<DnsQuery.Attempt> attempts = asked.get().attempts();
    String type = DnsQuery.typeName(DnsQuery.questionType(server.get()));
    judge(f, dns, type, pod, attempts);
    long rtt =
        attempts.stream()
            .filter(DnsCheck::good)
            .mapToLong(DnsQuery.Attempt::rttMicros)
            .min()
            .orElse(0);
    return f.result(
        "DNS "
            + dns
            + " resolved "
            + type
            + " "
            + QUESTION
            + " for "
            + pod
            + " ("
            + ATTEMPTS
            + "/"
            + ATTEMPTS
            + ", fastest in "
            + rtt / 1000
            + " ms)");
  }

  /** NOERROR with an address for the name asked. */
  static boolean good(DnsQuery.Attempt a) {
    return a.response().orElse(null) instanceof DnsResponse.Valid v
        && v.rcode() == 0
        && !v.addresses().isEmpty();
  }

  static String describe(DnsQuery.Attempt a) {
    DnsResponse r = a.response().orElse(null);
    if (r instanceof DnsResponse.Valid v) {
      return v.rcodeName()
          + (v.addresses().isEmpty() ? ", no address for the name" : " " + v.addresses());
    }
    if (r instanceof DnsResponse.Malformed m) {
      return "not a valid DNS response: " + m.why();
    }
    return "no reply within " + TIMEOUT_MILLIS + " ms";
  }

  /** The pod that asked, and the answers it got. */
  private record Asked(PodKey pod, List<DnsQuery.Attempt> attempts) {}

  /**
   * The first pod whose netns can be entered asks, several times: a Service VIP spreads the queries
   * over its backends, so one broken backend shows as some queries lost (WARN). Empty when no pod's
   * netns could be entered (each one's reason is evidence).
   */
  private static Optional<Asked> ask(CheckContext ctx, Findings f, InetAddress server) {
    for (ClusterFacts.LocalPod p : ctx.cluster().localPods()) {
      try {
        List<DnsQuery.Attempt> attempts =
            ctx.pods()
                .call(
                    p.pod(),
                    () -> {
                      List<DnsQuery.Attempt> out = new ArrayList<>();
                      for (int i = 0; i < ATTEMPTS; i++) {
                        out.add(DnsQuery.ask(server, QUESTION, TIMEOUT_MILLIS));
                      }
                      return out;
                    });
        return Optional.of(new Asked(p.pod(), attempts));
      } catch (AccessException e) {
        f.evidence("pod " + p.pod(), "not usable for the query: " + e.getMessage());
      }
    }
    return Optional.empty();
  }

  static void judge(
      Findings f, String dns, String type, PodKey pod, List<DnsQuery.Attempt> attempts) {
    String source =
        ATTEMPTS
            + " UDP DNS queries "
            + type
            + " "
            + QUESTION
            + " from pod "
            + pod
            + " to "
            + HostPort.of(dns, 53);
    Map<String, Long> kinds =
        attempts.stream()
            .collect(
                Collectors.groupingBy(DnsCheck::describe, TreeMap::new, Collectors.counting()));
    f.evidence(source, kinds);
    long good = attempts.stream().filter(DnsCheck::good).count();
    if (good == attempts.size()) {
      return;
    }
    String trace = " Trace the path: podpath trace " + pod + " ip:" + dns + " --udp --dst-port 53.";
    String serverLog =
        "The DNS server answers but not with a valid answer: look at its pods and log"
            + " (kubectl -n kube-system logs -l k8s-app=kube-dns) and at what else may answer on "
            + dns
            + ":53.";
    if (good > 0) {
      f.problem(
          CheckStatus.WARN,
          "DNS "
              + dns
              + " resolved only "
              + good
              + "/"
              + attempts.size()
              + " queries from "
              + pod
              + ": "
              + kinds
              + " — one of its backends is broken or unreachable",
          "Check the DNS Service's endpoints (kubectl -n kube-system get endpointslices) one by one."
              + trace);
      return;
    }
    boolean malformed =
        attempts.stream().anyMatch(a -> a.response().orElse(null) instanceof DnsResponse.Malformed);
    boolean failing =
        attempts.stream()
            .anyMatch(
                a ->
                    a.response().orElse(null) instanceof DnsResponse.Valid v
                        && v.rcode() != 0
                        && v.rcode() != 3);
    boolean anyReply = attempts.stream().anyMatch(a -> a.response().isPresent());
    if (malformed) {
      f.problem(
          CheckStatus.FAIL,
          "DNS "
              + dns
              + " sent replies that are not valid DNS responses to pod "
              + pod
              + ": "
              + kinds,
          serverLog);
    } else if (failing) {
      f.problem(
          CheckStatus.FAIL,
          "DNS "
              + dns
              + " answers but cannot resolve "
              + type
              + " "
              + QUESTION
              + " for "
              + pod
              + ": "
              + kinds,
          "The DNS server is reachable but failing: look at its log (e.g. CoreDNS) and its"
              + " upstream/API access.");
    } else if (anyReply) {
      f.problem(
          CheckStatus.WARN,
          "DNS " + dns + " has no " + type + " address for " + QUESTION + ": " + kinds,
          "If the cluster domain is not cluster.local this is expected; otherwise the DNS server"
              + " does not know the kubernetes Service: look at its log and its API access.");
    } else {
      f.problem(
          CheckStatus.FAIL,
          "DNS " + dns + " answered none of " + attempts.size() + " queries from " + pod,
          "Nothing came back: check the DNS Service's endpoints (kubectl -n kube-system get"
              + " endpointslices)."
              + trace);
    }
  }
}
