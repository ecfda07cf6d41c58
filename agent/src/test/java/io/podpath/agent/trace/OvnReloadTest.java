package io.podpath.agent.trace;

import static io.podpath.agent.trace.TraceFixtures.read;
import static org.assertj.core.api.Assertions.assertThat;

import io.podpath.agent.ovn.Northbound;
import io.podpath.agent.ovn.OvnTables;
import io.podpath.agent.ovn.Southbound;
import io.podpath.agent.ovsdb.OvsState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A trace reloads the OVN rows early only when a row it needs is really missing: not for the
 * physical flows' cookies (Port_Binding UUIDs) nor for stage-hints naming a switch port. Recorded
 * traces and rows (hack/fixtures/trace.sh).
 */
class OvnReloadTest {
  private static final OvsState NODE1 =
      new OvsState(
          new OvsState.OvsSystem("", "", Map.of("ovn-remote", "tcp:172.31.3.2:6642"), List.of()),
          List.of(),
          List.of(),
          List.of());

  /** The recorded tables, counting the early reloads asked for. */
  static final class Counting implements OvnTables {
    final Southbound sb = FixtureRows.southbound();
    final Optional<Northbound> nb = Optional.of(FixtureRows.northbound());
    final AtomicInteger sbReloads = new AtomicInteger();
    final AtomicInteger nbReloads = new AtomicInteger();

    @Override
    public Southbound southbound(Duration timeout) {
      return sb;
    }

    @Override
    public Optional<Northbound> northbound(Duration timeout) {
      return nb;
    }

    @Override
    public Southbound southboundFresh(Duration timeout) {
      sbReloads.incrementAndGet();
      return sb;
    }

    @Override
    public Optional<Northbound> northboundFresh(Duration timeout) {
      nbReloads.incrementAndGet();
      return nb;
    }

    @Override
    public String describe() {
      return "recorded fixtures";
    }
  }

  private static OvnLink.Session session(Counting t) {
    return new OvnLink(r -> t).open(NODE1, Duration.ofSeconds(1), new ArrayList<>()).orElseThrow();
  }

  @Test
  void healthyTracesDecodeWithoutReloading() {
    for (String f : List.of("same-node-tcp.txt", "cross-node-tcp.txt", "tunnel-ingress-tcp.txt")) {
      Counting t = new Counting();
      List<DecodedStep> steps = session(t).decodeSteps(TraceOutputParser.parse(read(f)));
      assertThat(steps).as(f).isNotEmpty();
      assertThat(t.sbReloads).as(f + ": Southbound reloads").hasValue(0);
      assertThat(t.nbReloads).as(f + ": Northbound reloads").hasValue(0);
    }
  }

  @Test
  void aPhysicalFlowsCookieNamesAPortBinding() {
    ParsedTrace p = TraceOutputParser.parse(read("same-node-tcp.txt"));
    Southbound sb = FixtureRows.southbound();
    List<TraceStep> physical =
        p.steps().stream()
            .filter(s -> !s.cookie().isEmpty() && s.cookieValue() != 0)
            .filter(s -> s.table() < 8 || (s.table() > 36 && s.table() < 42) || s.table() > 70)
            .toList();
    assertThat(physical).isNotEmpty();
    assertThat(physical)
        .allSatisfy(s -> assertThat(sb.isPortBindingCookie(s.cookieValue())).isTrue());
    assertThat(sb.isPortBindingCookie(0x0badf00dL)).isFalse();
  }

  @Test
  void anUnknownCookieStillReloadsTheSouthboundOncePerTrace() {
    Counting t = new Counting();
    OvnLink.Session s = session(t);
    String trace = read("same-node-tcp.txt").replaceAll("cookie 0x[0-9a-f]+", "cookie 0x0badf00d");
    s.decodeSteps(TraceOutputParser.parse(trace));
    assertThat(t.sbReloads).hasValue(1);
  }
}
