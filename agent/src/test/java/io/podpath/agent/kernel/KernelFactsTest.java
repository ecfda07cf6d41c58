package io.podpath.agent.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.podpath.agent.exec.CommandResult;
import io.podpath.agent.kernel.iptables.Ruleset;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class KernelFactsTest {
  @Test
  void ipvsadmWithoutIpVsMeansNoIpvs() {
    Ipvs none =
        Ipvs.parse(
            2, Fixtures.read("ipvsadm-Ln-no-ipvs.out"), Fixtures.read("ipvsadm-Ln-no-ipvs.err"));
    assertThat(none.available()).isFalse();
    assertThatThrownBy(() -> Ipvs.parse(1, "", "Permission denied"))
        .isInstanceOf(KernelParseException.class);
  }

  @Test
  void readerTakesSysctlsAndRulesFromTheNode() {
    Map<String, String> files =
        Map.of(
            "/proc/sys/net/ipv4/ip_forward", "0\n",
            "/proc/sys/net/ipv4/conf/all/rp_filter", "2\n",
            "/proc/sys/net/netfilter/nf_conntrack_count", "7\n",
            "/proc/sys/net/netfilter/nf_conntrack_max", "65536\n");
    NodeAccess n =
        new NodeAccess() {
          @Override
          public Optional<String> read(String path) {
            return Optional.ofNullable(files.get(path));
          }

          @Override
          public CommandResult run(List<String> argv) {
            String out =
                argv.get(0).equals("iptables-save")
                    ? Fixtures.read("iptables-save-ovn-node1.txt")
                    : Fixtures.readChecks("ip-addr.json");
            return new CommandResult(argv, 0, out, "", false, Duration.ZERO);
          }
        };
    KernelFacts f = KernelFactsReader.read("node1", n, Set.of("ovn-k8s-mp0"));
    assertThat(f.ipForward()).isFalse();
    assertThat(f.rpFilterAll()).isEqualTo(2);
    assertThat(f.conntrackCount()).hasValue(7);
    assertThat(f.rules().ruleCount()).isEqualTo(1);
    assertThat(f.localAddresses()).isNotEmpty();
  }

  @Test
  void cacheRereadsAfterTheTtlOrWhenAskedFresh() {
    AtomicInteger reads = new AtomicInteger();
    Instant[] now = {Instant.parse("2026-01-01T00:00:00Z")};
    Clock clock =
        new Clock() {
          @Override
          public ZoneId getZone() {
            return ZoneOffset.UTC;
          }

          @Override
          public Clock withZone(ZoneId z) {
            return this;
          }

          @Override
          public Instant instant() {
            return now[0];
          }
        };
    KernelFacts facts =
        new KernelFacts(
            "n",
            Ruleset.EMPTY,
            Map.of(),
            true,
            Map.of(),
            0,
            Map.of(),
            Map.of(),
            OptionalLong.empty(),
            OptionalLong.empty(),
            Set.of(),
            Ipv6Facts.NONE);
    KernelFactsCache c =
        new KernelFactsCache(
            Duration.ofSeconds(2),
            clock,
            () -> {
              reads.incrementAndGet();
              return facts;
            });
    c.get(false);
    c.get(false);
    assertThat(reads).hasValue(1);
    c.get(true);
    assertThat(reads).hasValue(2);
    now[0] = now[0].plusSeconds(2);
    c.get(false);
    assertThat(reads).hasValue(3);
  }

  @Test
  void aChangedIndicatorRereadsWithinTheTtl() {
    AtomicInteger reads = new AtomicInteger();
    KernelFacts facts =
        new KernelFacts(
            "node1",
            Ruleset.EMPTY,
            Map.of(),
            true,
            Map.of(),
            0,
            Map.of(),
            Map.of(),
            OptionalLong.empty(),
            OptionalLong.empty(),
            Set.of(),
            Ipv6Facts.NONE);
    KernelFactsCache c =
        new KernelFactsCache(
            Duration.ofSeconds(5),
            Clock.fixed(Instant.parse("2026-12-06T00:00:00Z"), ZoneOffset.UTC),
            () -> facts);
    Supplier<KernelFacts> reader =
        () -> {
          reads.incrementAndGet();
          return facts;
        };
    c.get(List.of(OptionalLong.of(7), "1"), reader);
    c.get(List.of(OptionalLong.of(7), "1"), reader);
    assertThat(reads).as("same generation and sysctls: cached").hasValue(1);
    c.get(List.of(OptionalLong.of(8), "1"), reader);
    assertThat(reads).as("the nf_tables generation moved").hasValue(2);
    c.get(List.of(OptionalLong.of(8), "0"), reader);
    assertThat(reads).as("ip_forward changed").hasValue(3);
    c.get(List.of(OptionalLong.of(8), "0"), reader);
    assertThat(reads).hasValue(3);
  }
}
