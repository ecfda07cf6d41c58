package io.podpath.agent.kernel;

import io.podpath.agent.kernel.iptables.NatApplied;
import io.podpath.agent.kernel.iptables.Rule;
import io.podpath.agent.kernel.iptables.RuleHit;
import java.util.List;
import java.util.Optional;

/** How a node's kernel (routing, sysctls, netfilter, conntrack) left a packet. */
public sealed interface KernelHopOutcome {
  /** The kernel facts used, in order: route, rules hit, conntrack fill ... */
  List<String> facts();

  List<RuleHit> hits();

  /** Routed out a device that is not an OVS host-side port: it left the node (LEFT_CLUSTER). */
  record Forwarded(
      String device,
      Optional<IpAddr> gateway,
      KernelPacket packet,
      List<NatApplied> nat,
      List<RuleHit> hits,
      List<String> facts)
      implements KernelHopOutcome {}

  /** Routed to an OVS host-side port: the OVS trace continues from {@code device}. */
  record BackToOvs(
      String device,
      Optional<IpAddr> gateway,
      KernelPacket packet,
      List<NatApplied> nat,
      List<RuleHit> hits,
      List<String> facts)
      implements KernelHopOutcome {}

  /** Accepted by INPUT: a local process on the node receives it at {@code address}. */
  record DeliveredLocal(
      IpAddr address,
      KernelPacket packet,
      List<NatApplied> nat,
      List<RuleHit> hits,
      List<String> facts)
      implements KernelHopOutcome {}

  record Dropped(Cause cause, List<RuleHit> hits, List<String> facts) implements KernelHopOutcome {}

  /** A fact podpath could not evaluate decides the packet's fate. */
  record Inconclusive(String why, List<RuleHit> hits, List<String> facts)
      implements KernelHopOutcome {}

  /** Why the kernel dropped the packet; {@link #text} is what a user reads. */
  sealed interface Cause {
    String text();

    /** {@code v6}: net.ipv6.conf.all.forwarding is what is off ({@code device} empty). */
    record IpForwardOff(String node, String device, boolean v6) implements Cause {
      public IpForwardOff(String node, String device) {
        this(node, device, false);
      }

      @Override
      public String text() {
        if (v6) {
          return "IPv6 forwarding is off on " + node + " (net.ipv6.conf.all.forwarding=0)";
        }
        return device.isEmpty()
            ? "ip_forward is 0 on " + node
            : "forwarding is 0 on " + device + " on " + node;
      }
    }

    record NoRoute(String node, IpAddr dst, String kernel) implements Cause {
      @Override
      public String text() {
        return "no route to " + dst + " on " + node + (kernel.isEmpty() ? "" : " (" + kernel + ")");
      }
    }

    record RpFilter(String node, String device, int mode, IpAddr src) implements Cause {
      @Override
      public String text() {
        return "rp_filter="
            + mode
            + " on "
            + device
            + " on "
            + node
            + " drops source "
            + src
            + (mode == 1 ? " (the reverse route leaves by another interface)" : " (no route back)");
      }
    }

    /** {@code v6}: the rule is ip6tables'. */
    record ByRule(String node, Rule rule, boolean rejected, String with, boolean v6)
        implements Cause {
      public ByRule(String node, Rule rule, boolean rejected, String with) {
        this(node, rule, rejected, with, false);
      }

      @Override
      public String text() {
        return (rejected ? "rejected (" + with + ")" : "dropped")
            + " on "
            + node
            + (v6 ? " by ip6tables " : " by iptables ")
            + rule.where()
            + ": "
            + rule.text();
      }
    }

    record ConntrackFull(String node, long count, long max) implements Cause {
      @Override
      public String text() {
        return "conntrack table full on " + node + " (" + count + "/" + max + ")";
      }
    }

    /** {@code v6}: a forwarded IPv6 packet, which no router fragments (DF or not). */
    record TooBig(String node, String device, int size, int mtu, boolean v6) implements Cause {
      public TooBig(String node, String device, int size, int mtu) {
        this(node, device, size, mtu, false);
      }

      @Override
      public String text() {
        return size
            + " > "
            + mtu
            + " (MTU of "
            + device
            + " on "
            + node
            + ")"
            + (v6 ? ": IPv6 is never fragmented on the way" : " with DF set");
      }
    }
  }
}
