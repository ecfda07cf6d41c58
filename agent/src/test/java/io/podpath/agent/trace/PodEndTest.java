package io.podpath.agent.trace;

import static org.assertj.core.api.Assertions.assertThat;

import io.podpath.agent.ip.IpLink;
import io.podpath.agent.ip.IpRoute;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class PodEndTest {
  private static final PodName WEB = new PodName("default", "web-2");

  private static IpLink eth0(String state, List<String> flags, int mtu) {
    return new IpLink(
        2,
        "eth0",
        OptionalInt.of(7),
        OptionalInt.of(0),
        mtu,
        "0a:58:0a:f4:02:03",
        state,
        flags,
        List.of(new IpLink.IpAddr("inet", "10.244.2.3", 24, "global")),
        IpLink.Counters.NONE,
        IpLink.Counters.NONE);
  }

  private static IpRoute route(String type, String dst, String via) {
    return new IpRoute(type, dst, via, "eth0", "", "", "", 0);
  }

  private static final List<IpRoute> ROUTES =
      List.of(route("", "default", "10.244.2.1"), route("", "10.244.2.0/24", ""));

  private final List<SizeCheck> sizes = new ArrayList<>();
  private final List<TraceFinding> findings = new ArrayList<>();

  private Optional<PodEnd.Blocked> judge(PodEnd end, PodEnd.Side side, int size, boolean df) {
    return end.judge(side, "10.244.1.3", size, df, sizes, findings);
  }

  @Test
  void aHealthyPodPassesAndItsMtuIsChecked() {
    PodEnd end =
        new PodEnd(WEB, "node2", "eth0", Optional.of(eth0("UP", List.of("UP"), 1400)), ROUTES);
    assertThat(judge(end, PodEnd.Side.DESTINATION, 60, true)).isEmpty();
    assertThat(sizes)
        .singleElement()
        .satisfies(
            s -> assertThat(s.text()).isEqualTo("60 <= 1400 on pod default/web-2 eth0 (node2)"));
  }

  @Test
  void eth0DownIsNamedOnBothSides() {
    PodEnd end =
        new PodEnd(
            WEB, "node2", "eth0", Optional.of(eth0("DOWN", List.of("BROADCAST"), 1400)), ROUTES);
    assertThat(judge(end, PodEnd.Side.DESTINATION, 60, true))
        .get()
        .satisfies(
            b -> {
              assertThat(b.code()).isEqualTo("pod-interface-down");
              assertThat(b.text())
                  .isEqualTo(
                      "pod default/web-2 on node2: its eth0 is DOWN, so the packet is not"
                          + " delivered into the pod");
            });
    assertThat(judge(end, PodEnd.Side.SOURCE, 60, true).get().text())
        .contains("its eth0 is DOWN, so the pod cannot send");
  }

  @Test
  void unknownStateWithTheUpFlagCountsAsUp() {
    PodEnd end =
        new PodEnd(WEB, "node2", "eth0", Optional.of(eth0("UNKNOWN", List.of("UP"), 1400)), ROUTES);
    assertThat(judge(end, PodEnd.Side.DESTINATION, 60, true)).isEmpty();
  }

  @Test
  void aMissingInterfaceCutsThePodOff() {
    PodEnd end = new PodEnd(WEB, "node2", "eth0", Optional.empty(), List.of());
    assertThat(judge(end, PodEnd.Side.DESTINATION, 60, true).get().code())
        .isEqualTo("pod-interface-missing");
  }

  @Test
  void noRouteBackIsDroppedListingTheRoutes() {
    PodEnd end =
        new PodEnd(
            WEB,
            "node2",
            "eth0",
            Optional.of(eth0("UP", List.of("UP"), 1400)),
            List.of(route("", "10.244.2.0/24", "")));
    PodEnd.Blocked b = judge(end, PodEnd.Side.DESTINATION, 60, true).get();
    assertThat(b.code()).isEqualTo("pod-no-route");
    assertThat(b.text())
        .isEqualTo(
            "pod default/web-2 on node2 has no route to 10.244.1.3: the packet arrives but"
                + " nothing goes back (its routes: [10.244.2.0/24 dev eth0])");
  }

  @Test
  void anUnreachableRouteIsNoRouteAndTheLongestPrefixWins() {
    List<IpRoute> routes =
        List.of(route("", "default", "10.244.2.1"), route("unreachable", "10.244.1.0/24", ""));
    PodEnd end =
        new PodEnd(WEB, "node2", "eth0", Optional.of(eth0("UP", List.of("UP"), 1400)), routes);
    assertThat(judge(end, PodEnd.Side.SOURCE, 60, true).get().text())
        .startsWith("pod default/web-2 on node2 has its route 10.244.1.0/24 is unreachable");
  }

  @Test
  void overTheSourcePodsMtuWithDfIsDroppedWithTheArithmetic() {
    PodEnd end =
        new PodEnd(WEB, "node2", "eth0", Optional.of(eth0("UP", List.of("UP"), 1400)), ROUTES);
    PodEnd.Blocked b = judge(end, PodEnd.Side.SOURCE, 1500, true).get();
    assertThat(b.code()).isEqualTo("too-big");
    assertThat(b.text()).startsWith("1500 > 1400 on pod default/web-2 eth0 (node2)");
  }

  @Test
  void overTheMtuWithoutDfIsANote() {
    PodEnd end =
        new PodEnd(WEB, "node2", "eth0", Optional.of(eth0("UP", List.of("UP"), 1400)), ROUTES);
    assertThat(judge(end, PodEnd.Side.SOURCE, 1500, false)).isEmpty();
    assertThat(findings)
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.code()).isEqualTo("pod-fragments");
              assertThat(f.message()).contains("1500 > 1400").contains("fragments");
            });
  }

  @Test
  void withoutDfWhatLeavesThePodIsItsFirstFragment() {
    PodEnd end =
        new PodEnd(WEB, "node2", "eth0", Optional.of(eth0("UP", List.of("UP"), 1400)), ROUTES);
    assertThat(end.leaves(1500, false)).isEqualTo(1396);
    assertThat(end.leaves(1500, true)).isEqualTo(1500);
    assertThat(end.leaves(1000, false)).isEqualTo(1000);
  }
}
