package io.podpath.agent.conntrack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** On outputs recorded from the sandbox by hack/fixtures/conntrack.sh. */
class ConntrackParsersTest {
  private static String fixture(String name) throws Exception {
    return Files.readString(Path.of("src/test/resources/fixtures/conntrack", name));
  }

  @Test
  void dumpConntrackFindsTheConnectionFromEitherDirection() throws Exception {
    List<CtEntry> all = CtEntry.parseDpctl(fixture("dump-conntrack.txt"));
    assertThat(all).hasSize(6);
    CtTuple forward = new CtTuple("udp", "10.244.1.4", "10.244.2.3", 40001, 53);
    CtTuple reply = new CtTuple("udp", "10.244.2.3", "10.244.1.4", 53, 40001);
    assertThat(all.stream().filter(e -> e.matches(forward)).toList()).hasSize(1);
    CtEntry e = all.stream().filter(x -> x.matches(reply)).findFirst().orElseThrow();
    assertThat(e.zone()).hasValue(9);
    assertThat(e.text()).startsWith("udp,orig=(src=10.244.1.4");
    // another source port is another connection
    assertThat(
            all.stream()
                .anyMatch(
                    x -> x.matches(new CtTuple("udp", "10.244.1.4", "10.244.2.3", 40002, 53))))
        .isFalse();
    // ICMP: podpath does not trace the echo id, so the addresses decide
    assertThat(
            all.stream()
                .filter(x -> x.matches(new CtTuple("icmp", "10.244.2.3", "10.244.1.4", 0, 0))))
        .hasSize(2);
  }

  @Test
  void conntrackListShowsHowNatRewroteTheReply() throws Exception {
    List<CtEntry> all = CtEntry.parseConntrackL(fixture("conntrack-L.txt"));
    assertThat(all).hasSize(1);
    CtEntry e = all.get(0);
    assertThat(e.orig()).isEqualTo(new CtTuple("udp", "10.244.1.4", "172.31.29.200", 40003, 53));
    // MASQUERADE: the reply goes to the node's address
    assertThat(e.reply().dst()).isEqualTo("172.31.29.11");
    assertThat(e.matches(new CtTuple("udp", "172.31.29.200", "172.31.29.11", 53, 40003))).isTrue();
  }

  @Test
  void limitsAndZones() throws Exception {
    CtLimits l = CtLimits.parse(fixture("ct-get-limits.txt"));
    assertThat(l.defaultLimit()).isZero();
    assertThat(l.zones()).containsKey(9);
    assertThat(l.zones().get(9)).containsExactly(5L, 0L);
    assertThat(
            ConntrackTracer.zones("ct(zone=9),recirc(0x1)\nct(commit,zone=12,nat(src=1.2.3.4)),2"))
        .containsExactlyInAnyOrder(9, 12);
    assertThat(ConntrackTracer.zones("ct,recirc(0x1)")).isEmpty();
    assertThat(ConntrackTracer.zones("ct(commit),3")).containsExactly(0);
  }

  @Test
  void garbageIsSkippedNotFatal() {
    assertThat(CtEntry.parseDpctl("Total: 3\nudp,orig=(\n,,,\ntcp,orig=(src=a),reply=(dst=b)"))
        .isEmpty();
    assertThat(
            CtEntry.parseConntrackL("conntrack v1.4.7 (conntrack-tools): 1 flow entries\nudp 17"))
        .isEmpty();
  }
}
