package io.podpath.bench;

import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.podpath.agent.checks.CheckResult;
import io.podpath.agent.checks.CheckSchedule;
import io.podpath.agent.checks.CheckStatus;
import io.podpath.agent.checks.Checks;
import io.podpath.agent.server.AgentMetrics;
import io.podpath.proto.v1.CheckReport;
import java.time.Duration;
import java.util.List;

/**
 * One simulated agent's /metrics on the Prometheus path ({@code --check-interval}, no aggregator):
 * the agent's own registry ({@link AgentMetrics}) with a round of checks recorded by the agent's
 * own {@link Checks} from a report recorded on a real node, counted as a scheduled round. What the
 * simulator leaves out (the command timers, the facts-age gauge, the netns-lookup counter) is shown
 * beside it by a real agent's scrape in hack/bench.
 */
final class SimulatedAgentMetrics {
  private SimulatedAgentMetrics() {}

  static PrometheusMeterRegistry of(CheckReport report) {
    PrometheusMeterRegistry registry = AgentMetrics.registry();
    Counter ran = CheckSchedule.rounds(registry, "ran");
    CheckSchedule.rounds(registry, "skipped");
    Checks checks = new Checks(List.of(), registry);
    for (io.podpath.proto.v1.CheckResult r : report.getResultsList()) {
      checks.record(
          new CheckResult(
              r.getId(),
              status(r.getStatus()),
              r.getSummary(),
              List.of(),
              r.getRemediation(),
              Duration.ofNanos(r.getDurationMicros() * 1000)));
    }
    ran.increment();
    return registry;
  }

  static CheckStatus status(io.podpath.proto.v1.CheckStatus s) {
    return switch (s) {
      case CHECK_STATUS_OK -> CheckStatus.OK;
      case CHECK_STATUS_WARN -> CheckStatus.WARN;
      case CHECK_STATUS_FAIL -> CheckStatus.FAIL;
      case CHECK_STATUS_NOT_APPLICABLE -> CheckStatus.NOT_APPLICABLE;
      // an agent reports no other status; UNREACHABLE is the aggregator's
      default -> CheckStatus.UNKNOWN;
    };
  }
}
