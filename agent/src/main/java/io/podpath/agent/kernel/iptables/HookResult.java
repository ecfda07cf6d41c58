package io.podpath.agent.kernel.iptables;

import io.podpath.agent.kernel.KernelPacket;
import java.util.List;

/** How one hook's tables left the packet. Every variant lists the rules it hit, in order. */
public sealed interface HookResult {
  List<RuleHit> hits();

  /** The packet goes on, possibly rewritten (NAT, mark). */
  record Passed(KernelPacket packet, List<NatApplied> nat, List<RuleHit> hits)
      implements HookResult {
    public Passed {
      nat = List.copyOf(nat);
      hits = List.copyOf(hits);
    }
  }

  /** DROP by a rule or a chain policy (then {@code rule.number()} is 0). */
  record Dropped(Rule rule, List<RuleHit> hits) implements HookResult {
    public Dropped {
      hits = List.copyOf(hits);
    }
  }

  /** REJECT: the sender gets an ICMP error or TCP reset ({@code with}). */
  record Rejected(Rule rule, String with, List<RuleHit> hits) implements HookResult {
    public Rejected {
      hits = List.copyOf(hits);
    }
  }

  /** A rule podpath could not evaluate could decide the packet's fate. */
  record Inconclusive(Rule rule, String why, List<RuleHit> hits) implements HookResult {
    public Inconclusive {
      hits = List.copyOf(hits);
    }
  }
}
