package io.podpath.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

/**
 * Assertions shared by the ovn and ovs sandbox tests; probes run a few at a time (they mostly
 * wait).
 */
final class SandboxTests {
  private SandboxTests() {}

  record Case(String src, String dst, Probe probe, boolean expectDelivered) {}

  /** Runs every case and asserts all outcomes at once, listing every mismatch. */
  static void assertOutcomes(Sandbox sb, List<Case> cases) {
    ExecutorService pool = Executors.newFixedThreadPool(6);
    try {
      List<Future<ProbeResult>> results = new ArrayList<>();
      for (Case c : cases) {
        results.add(pool.submit(() -> sb.probe(c.src(), c.dst(), c.probe())));
      }
      List<String> wrong = new ArrayList<>();
      for (int i = 0; i < cases.size(); i++) {
        Case c = cases.get(i);
        ProbeResult r = results.get(i).get();
        if (r.delivered() != c.expectDelivered()) {
          wrong.add(
              String.format(
                  "%s -> %s %s: expected %s, got %s",
                  c.src(),
                  c.dst(),
                  c.probe().protocol(),
                  c.expectDelivered() ? "delivered" : "failed",
                  r.delivered() ? "delivered" : r.reason()));
        } else if (r.delivered()
            && c.probe().protocol() == Probe.Protocol.TCP
            && !c.dst().startsWith("svc/")
            && c.dst().contains("/")) {
          assertThat(r.reply()).isEqualTo("podpath " + c.dst());
        }
      }
      assertThat(wrong).isEmpty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    } catch (ExecutionException e) {
      throw new AssertionError(e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  static List<Case> allPairs(Sandbox sb, List<Probe> probes) {
    List<Case> cases = new ArrayList<>();
    for (Pod src : sb.pods()) {
      for (Pod dst : sb.pods()) {
        if (!src.equals(dst)) {
          for (Probe p : probes) {
            cases.add(new Case(src.ref(), dst.ref(), p, true));
          }
        }
      }
    }
    return cases;
  }

  static void assertAllPairsReach(Sandbox sb, List<Probe> probes) {
    assertOutcomes(sb, allPairs(sb, probes));
  }

  /** From every pod, TCP to the VIP until every web endpoint has answered; UDP echoes too. */
  static void assertServiceReachesAllEndpoints(Sandbox sb) {
    Set<String> endpoints =
        sb.pods().stream()
            .filter(p -> p.name().startsWith("web-"))
            .map(p -> "podpath " + p.ref())
            .collect(Collectors.toSet());
    for (Pod src : sb.pods()) {
      Set<String> seen = new HashSet<>();
      for (int i = 0; i < 60 && !seen.containsAll(endpoints); i++) {
        ProbeResult r = sb.probe(src.ref(), "svc/default/web", Probe.tcp(80));
        assertThat(r.delivered()).as("%s -> svc TCP: %s", src.ref(), r.reason()).isTrue();
        seen.add(r.reply());
      }
      assertThat(seen).as("endpoints answering %s", src.ref()).containsAll(endpoints);
      ProbeResult udp = sb.probe(src.ref(), "svc/default/web", Probe.udp(53));
      assertThat(udp.delivered()).as("%s -> svc UDP: %s", src.ref(), udp.reason()).isTrue();
    }
  }
}
