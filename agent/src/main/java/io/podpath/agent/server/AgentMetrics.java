package io.podpath.agent.server;

import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The registry behind the agent's /metrics: Prometheus text, snake_case label names, the JVM's
 * memory gauges. One place, so the fleet simulator (module bench) exposes what an agent exposes.
 */
public final class AgentMetrics {
  private AgentMetrics() {}

  public static PrometheusMeterRegistry registry() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.config().meterFilter(new SnakeCaseTagKeys());
    new JvmMemoryMetrics().bindTo(registry);
    return registry;
  }
}
