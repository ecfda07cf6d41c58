package io.podpath.aggregator.api.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.podpath.aggregator.api.InvalidRequestException;
import io.podpath.aggregator.api.live.LiveRateTest.ManualTicker;
import io.podpath.aggregator.inventory.ClusterIndex;
import io.podpath.aggregator.trace.TracePlannerTest;
import io.podpath.proto.v1.Endpoint;
import io.podpath.proto.v1.LiveTrace;
import io.podpath.proto.v1.PodRef;
import io.podpath.proto.v1.ServiceRef;
import io.podpath.proto.v1.TraceRequest;
import io.podpath.proto.v1.Verdict;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LiveGateTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final ManualTicker ticker = new ManualTicker();

  private static ClusterIndex cluster() throws Exception {
    return TracePlannerTest.inventory().current();
  }

  private static TraceRequest live(Endpoint dst, boolean allowExternal) {
    return TraceRequest.newBuilder()
        .setSource(
            Endpoint.newBuilder()
                .setPod(PodRef.newBuilder().setNamespace("default").setName("client-1")))
        .setDestination(dst)
        .setLive(true)
        .setAllowExternal(allowExternal)
        .build();
  }

  private static Endpoint ip(String ip) {
    return Endpoint.newBuilder().setIp(ip).build();
  }

  private LiveGate gate(int perMinute, int burst) {
    return new LiveGate(Optional.of(new LiveRate(perMinute, burst, ticker)), registry);
  }

  private double count(String outcome) {
    var c = registry.find("podpath.live.traces").tag("outcome", outcome).counter();
    return c == null ? 0 : c.count();
  }

  @ParameterizedTest(name = "{0} is inside the cluster")
  @CsvSource({
    "10.244.2.3, a pod",
    "10.96.0.10, a Service ClusterIP",
    "172.31.6.12, a node's InternalIP",
    "10.244.2.200, an address in a node's pod subnet (no pod yet)",
  })
  void insideAddressesPassWithoutAllowExternal(String address, String what) throws Exception {
    gate(30, 5).admit(live(ip(address), false), cluster());
    assertThat(count("refused_external")).as(what).isZero();
  }

  @Test
  void anOutsideAddressIsRefusedNamingTheFlags() throws Exception {
    assertThatThrownBy(() -> gate(30, 5).admit(live(ip("172.31.9.200"), false), cluster()))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageStartingWith("live: 172.31.9.200 is outside the cluster")
        .hasMessageContaining("--allow-external")
        .hasMessageContaining("--probe-allow");
    assertThat(count("refused_external")).isEqualTo(1);

    gate(30, 5).admit(live(ip("172.31.9.200"), true), cluster());
  }

  @Test
  void namedDestinationsAreInside() throws Exception {
    Endpoint svc =
        Endpoint.newBuilder()
            .setService(ServiceRef.newBuilder().setNamespace("default").setName("web"))
            .build();
    gate(30, 5).admit(live(svc, false), cluster());
    assertThat(count("refused_external")).isZero();
  }

  @Test
  void overTheRateIsRefusedWithTheWaitAndCounted() throws Exception {
    LiveGate g = gate(6, 2); // one every 10 s
    g.admit(live(ip("10.244.2.3"), false), cluster());
    g.admit(live(ip("10.244.2.3"), false), cluster());
    assertThatThrownBy(() -> g.admit(live(ip("10.244.2.3"), false), cluster()))
        .isInstanceOfSatisfying(
            LiveRefusedException.class,
            e -> assertThat(e.retryAfter()).contains(Duration.ofSeconds(10)))
        .hasMessageContaining("at most 6 live traces a minute")
        .hasMessageContaining("--live-per-minute")
        .hasMessageEndingWith("in 10 s");
    assertThat(count("rate_limited")).isEqualTo(1);
    ticker.advance(Duration.ofSeconds(10));
    g.admit(live(ip("10.244.2.3"), false), cluster());
  }

  @Test
  void anOutsideRefusalTakesNoToken() throws Exception {
    LiveGate g = gate(1, 1);
    for (int i = 0; i < 3; i++) {
      assertThatThrownBy(() -> g.admit(live(ip("8.8.8.8"), false), cluster()))
          .isInstanceOf(InvalidRequestException.class);
    }
    g.admit(live(ip("10.244.2.3"), false), cluster());
  }

  @Test
  void turnedOffRefusesEveryLiveTraceButNoModelledOne() throws Exception {
    LiveGate off = LiveGate.perMinute(0, registry);
    assertThatThrownBy(() -> off.admit(live(ip("10.244.2.3"), false), cluster()))
        .isInstanceOfSatisfying(
            LiveRefusedException.class, e -> assertThat(e.retryAfter()).isEmpty())
        .hasMessageContaining("turned off")
        .hasMessageContaining("--live-per-minute 0");
    assertThat(count("refused_off")).isEqualTo(1);
    off.admit(live(ip("10.244.2.3"), false).toBuilder().setLive(false).build(), cluster());
  }

  @Test
  void allowExternalWithoutLiveIsAnError() throws Exception {
    TraceRequest r = live(ip("8.8.8.8"), true).toBuilder().setLive(false).build();
    assertThatThrownBy(() -> gate(30, 5).admit(r, cluster()))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessage("allow_external: applies with live only");
  }

  @Test
  void ranIsCountedByOutcome() {
    LiveGate g = gate(30, 5);
    g.ran(LiveTrace.newBuilder().setLiveVerdict(Verdict.VERDICT_DELIVERED).build());
    g.ran(
        LiveTrace.newBuilder().setLiveVerdict(Verdict.VERDICT_DROPPED).setDisagrees(true).build());
    g.ran(LiveTrace.newBuilder().setLiveVerdict(Verdict.VERDICT_DROPPED).build());
    assertThat(count("delivered")).isEqualTo(1);
    assertThat(count("model_disagrees")).isEqualTo(1);
    assertThat(count("dropped")).isEqualTo(1);
  }

  @ParameterizedTest
  @CsvSource({
    "10.244.1.0/24, 10.244.1.255, true",
    "10.244.1.0/24, 10.244.2.0, false",
    "10.0.0.0/8, 10.255.0.1, true",
    "fd00:10:244:1::/64, fd00:10:244:1::9, true",
    "fd00:10:244:1::/64, fd00:10:244:2::9, false",
    "10.244.1.0/24, fd00::af4:103, false",
    "10.244.1.0/33, 10.244.1.3, false",
    "10.244.1.0/x, 10.244.1.3, false",
    "0.0.0.0/0, 192.0.2.1, true",
  })
  void subnetContainment(String cidr, String address, boolean inside) throws Exception {
    assertThat(ClusterScope.contains(cidr, InetAddress.getByName(address))).isEqualTo(inside);
  }
}
