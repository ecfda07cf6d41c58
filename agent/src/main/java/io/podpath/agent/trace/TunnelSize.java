package io.podpath.agent.trace;

import io.podpath.agent.ovsdb.OvsState;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The size budget of a packet leaving by a tunnel: its IP length plus what the encapsulation adds
 * (outer IPv4/IPv6 header, UDP, the Geneve or VXLAN header with Geneve's options, the inner
 * Ethernet header) against the MTU of the underlay interface the node routes the remote encap IP
 * out of. OVS does not fragment an encapsulated packet whose outer header has DF (the tunnel's
 * {@code options:df_default}, true unless set false), so such a packet is dropped whatever the
 * inner DF bit says — as real packets show on the sandbox.
 */
final class TunnelSize {
  private TunnelSize() {}

  private static final int ETHERNET = 14;
  private static final int UDP = 8;
  private static final int GENEVE = 8;
  private static final int VXLAN = 8;

  /** What encapsulation adds, or empty for a tunnel type podpath does not size. */
  static Optional<Integer> overhead(Outcome.Tunnel t) {
    int outerIp = t.remoteIp().contains(":") ? 40 : 20;
    String type = t.type().toLowerCase(java.util.Locale.ROOT);
    if (type.equals("geneve")) {
      int options = 0;
      for (GeneveOption o : t.geneveOptions()) {
        options += 4 + o.value().length;
      }
      return Optional.of(outerIp + UDP + GENEVE + options + ETHERNET);
    }
    if (type.equals("vxlan")) {
      return Optional.of(outerIp + UDP + VXLAN + ETHERNET);
    }
    return Optional.empty();
  }

  static String label(Outcome.Tunnel t) {
    String type = t.type().toLowerCase(java.util.Locale.ROOT);
    return type.equals("geneve") ? "Geneve" : type.equals("vxlan") ? "VXLAN" : t.type();
  }

  /** Whether OVS sets DF on the outer header of this tunnel port (OVSDB options:df_default). */
  static boolean outerDf(OvsState ovs, String portName) {
    return ovs.interfaces().stream()
        .filter(i -> i.name().equals(portName))
        .findFirst()
        .map(i -> !"false".equals(i.options().get("df_default")))
        .orElse(true);
  }

  /** The check at the underlay {@code device} of {@code mtu} on {@code node}. */
  static SizeCheck check(
      String node, Outcome.Tunnel t, int overhead, String device, int mtu, int ipLength) {
    boolean fits = ipLength + overhead <= mtu;
    String text =
        ipLength
            + " + "
            + overhead
            + " "
            + label(t)
            + (fits ? " <= " : " > ")
            + mtu
            + " on "
            + node
            + " "
            + device;
    return new SizeCheck(
        node + " " + label(t) + " to " + t.remoteIp() + " over " + device,
        ipLength,
        overhead,
        mtu,
        fits,
        text);
  }

  /**
   * The node's outcome once the underlay had its say: a packet over the budget with DF on the outer
   * header is dropped at the tunnel (too-big); otherwise OVS's outcome stands.
   */
  static Outcome outcome(Outcome ovs, SizeCheck c, boolean outerDf, List<TraceFinding> findings) {
    if (c.fits()) {
      return ovs;
    }
    if (!outerDf) {
      findings.add(
          TraceFinding.warning(
              "tunnel-fragments",
              c.text() + ": the tunnel's df_default is false, so the outer packet is fragmented"));
      return ovs;
    }
    String why =
        c.text()
            + ": the encapsulated packet does not fit the underlay and OVS does not fragment it"
            + " (outer DF set), so it is dropped whatever the inner DF bit";
    return new Outcome(
        Outcome.Kind.DROPPED,
        why,
        ovs.portName(),
        ovs.ofport(),
        ovs.pod(),
        ovs.tunnel(),
        Optional.of(new Outcome.Drop(-1, "", why, Optional.empty(), Optional.empty(), "too-big")),
        ovs.recirculation(),
        List.of());
  }

  /** A packet leaving by a tunnel: its size plus the encapsulation against the underlay MTU. */
  static Outcome budget(
      KernelStage kernel,
      String node,
      Outcome outcome,
      OvsState ovs,
      int ipLength,
      List<SizeCheck> sizes,
      List<TraceFinding> findings,
      Instant deadline) {
    if (outcome.kind() != Outcome.Kind.TUNNEL || outcome.tunnel().isEmpty()) {
      return outcome;
    }
    Outcome.Tunnel t = outcome.tunnel().get();
    Optional<Integer> overhead = TunnelSize.overhead(t);
    if (overhead.isEmpty()) {
      findings.add(
          TraceFinding.warning(
              "tunnel-size-unchecked",
              "tunnel type " + t.type() + " is not sized by podpath: its MTU budget is unchecked"));
      return outcome;
    }
    Optional<KernelStage.Underlay> u =
        kernel.underlay(t.remoteIp(), HostSidePorts.of(ovs).names(), deadline, findings);
    if (u.isEmpty()) {
      return outcome;
    }
    SizeCheck c =
        TunnelSize.check(node, t, overhead.get(), u.get().device(), u.get().mtu(), ipLength);
    sizes.add(c);
    return TunnelSize.outcome(outcome, c, TunnelSize.outerDf(ovs, t.portName()), findings);
  }
}
