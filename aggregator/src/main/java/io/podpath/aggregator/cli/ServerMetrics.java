package io.podpath.aggregator.cli;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.podpath.common.BuildVersion;

/**
 * What every Prometheus user expects of a server beside its own metrics: {@code
 * podpath_build_info}, the process's and the JVM's metrics (Micrometer's binders), and latency as
 * histograms ({@code _bucket} series, so {@code histogram_quantile} works across replicas).
 */
final class ServerMetrics {
  private ServerMetrics() {}

  /**
   * Call on a fresh registry, before any meter is made: the histogram filter applies only to meters
   * created after it. Returns what must be closed with the registry.
   */
  static AutoCloseable bind(MeterRegistry registry, String component) {
    registry
        .config()
        .meterFilter(
            new MeterFilter() {
              @Override
              public DistributionStatisticConfig configure(
                  Meter.Id id, DistributionStatisticConfig config) {
                if (id.getType() == Meter.Type.TIMER
                    || id.getType() == Meter.Type.DISTRIBUTION_SUMMARY) {
                  return DistributionStatisticConfig.builder()
                      .percentilesHistogram(true)
                      .build()
                      .merge(config);
                }
                return config;
              }
            });
    // Two of Micrometer's names fail promtool's lint: process_cpu_time_ns_total (abbreviated
    // unit) and system_cpu_count (a gauge ending in _count); process_cpu_usage and the rest stay.
    registry.config().meterFilter(MeterFilter.denyNameStartsWith("process.cpu.time"));
    registry.config().meterFilter(MeterFilter.denyNameStartsWith("system.cpu.count"));
    Gauge.builder("podpath.build.info", () -> 1)
        .description("podpath's version; always 1")
        .tag("version", BuildVersion.get())
        .tag("component", component)
        .register(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new JvmMemoryMetrics().bindTo(registry);
    JvmGcMetrics gc = new JvmGcMetrics();
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
    return gc;
  }
}
