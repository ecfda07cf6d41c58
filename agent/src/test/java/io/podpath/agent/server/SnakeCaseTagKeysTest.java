package io.podpath.agent.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

class SnakeCaseTagKeysTest {
  @Test
  void camelCaseTagKeysBecomeSnakeCaseAndOthersStay() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.config().meterFilter(new SnakeCaseTagKeys());
    Counter.builder("grpc.server.requests.received")
        .tags("methodType", "UNARY", "statusCode", "OK", "service", "podpath.v1.AgentService")
        .register(registry)
        .increment();
    assertThat(registry.scrape())
        .contains("method_type=\"UNARY\"")
        .contains("status_code=\"OK\"")
        .contains("service=\"podpath.v1.AgentService\"")
        .doesNotContain("methodType")
        .doesNotContain("statusCode");
    assertThat(SnakeCaseTagKeys.snake("already_snake")).isEqualTo("already_snake");
    assertThat(SnakeCaseTagKeys.snake("a1B")).isEqualTo("a1_b");
  }
}
