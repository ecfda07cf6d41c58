package io.podpath.agent.kernel.iptables;

import io.podpath.agent.kernel.CtState;
import io.podpath.agent.kernel.IpAddr;
import io.podpath.agent.kernel.KernelPacket;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Walks one netfilter hook's tables for one packet, as the kernel would: each table's built-in
 * chain rule by rule, into user chains (jump, goto, RETURN), to a verdict or the policy.
 *
 * <p>A rule whose match cannot be evaluated is followed both ways (matched and not). When both ways
 * end alike (same verdict, same rewritten packet) the rule did not matter and is only noted;
 * otherwise the hook is {@link HookResult.Inconclusive} naming that rule — never a guess. The one
 * exception is a random backend choice (kube-proxy's statistic): when the packet names the backend
 * the caller traces to, the way that reaches it is followed.
 */
public final class IptablesEvaluator {
  /** Bounds on work for hostile or looping rule sets. */
  static final int MAX_STEPS = 200_000;

  static final int MAX_FORKS = 64;
  static final int MAX_DEPTH = 64;

  private final Ruleset rules;

  public IptablesEvaluator(Ruleset rules) {
    this.rules = rules;
  }

  public Ruleset rules() {
    return rules;
  }

  /** Runs {@code hook} for {@code packet}; {@code priorNat}: rewrites made at earlier hooks. */
  public HookResult evaluate(
      Hook hook, KernelPacket packet, HookEnv env, List<NatApplied> priorNat) {
    Walk w = new Walk(hook, env, packet, new ArrayList<>(priorNat), new int[] {0, 0});
    return run(w);
  }

  private HookResult run(Walk w) {
    while (true) {
      if (w.stack.isEmpty()) {
        if (!w.nextTable()) {
          return new HookResult.Passed(w.packet, w.nat, w.hits);
        }
        continue;
      }
      MutFrame f = w.stack.peek();
      if (f.next >= f.chain.rules().size()) {
        HookResult end = w.returnFromChain();
        if (end != null) {
          return end;
        }
        continue;
      }
      Rule rule = f.chain.rules().get(f.next++);
      if (++w.budget[0] > MAX_STEPS) {
        return new HookResult.Inconclusive(rule, "more than " + MAX_STEPS + " rule steps", w.hits);
      }
      Truth t = test(rule, w);
      if (t.kind() == Truth.Kind.NO) {
        continue;
      }
      if (t.kind() == Truth.Kind.UNKNOWN) {
        return fork(w, rule, t.why());
      }
      HookResult r = apply(w, rule, "");
      if (r != null) {
        return r;
      }
    }
  }

  private HookResult fork(Walk w, Rule rule, String why) {
    if (++w.budget[1] > MAX_FORKS) {
      return new HookResult.Inconclusive(
          rule, "more than " + MAX_FORKS + " rules podpath cannot evaluate: " + why, w.hits);
    }
    List<RuleHit> before = List.copyOf(w.hits);
    Walk matched = w.copy();
    HookResult a = apply(matched, rule, "cannot evaluate: " + why + "; followed as matching");
    if (a == null) {
      a = run(matched);
    }
    w.hits.add(new RuleHit(rule, "cannot evaluate: " + why + "; followed as not matching"));
    HookResult b = run(w);
    if (sameFate(a, b)) {
      return b;
    }
    Optional<IpAddr> want = w.packet.preferredBackend();
    if (want.isPresent()) {
      boolean aWanted = reaches(a, want.get());
      boolean bWanted = reaches(b, want.get());
      if (aWanted && !bWanted) {
        return a;
      }
      if (bWanted && !aWanted) {
        return b;
      }
    }
    return new HookResult.Inconclusive(
        rule, why + "; it decides whether the packet is " + fate(a) + " or " + fate(b), before);
  }

  private static boolean reaches(HookResult r, IpAddr backend) {
    return r instanceof HookResult.Passed p
        && p.nat().stream().anyMatch(n -> n.destination() && n.to().equals(backend));
  }

  private static String fate(HookResult r) {
    if (r instanceof HookResult.Passed p) {
      return "passed as " + p.packet().describe();
    }
    if (r instanceof HookResult.Dropped d) {
      return "dropped by " + d.rule().where();
    }
    if (r instanceof HookResult.Rejected j) {
      return "rejected by " + j.rule().where();
    }
    return "undecided (" + ((HookResult.Inconclusive) r).rule().where() + ")";
  }

  private static boolean sameFate(HookResult a, HookResult b) {
    if (a instanceof HookResult.Passed p) {
      return b instanceof HookResult.Passed q && p.packet().equals(q.packet());
    }
    if (a instanceof HookResult.Dropped d) {
      return b instanceof HookResult.Dropped e && d.rule().equals(e.rule());
    }
    if (a instanceof HookResult.Rejected d) {
      return b instanceof HookResult.Rejected e && d.rule().equals(e.rule());
    }
    return false;
  }

  private static Truth test(Rule rule, Walk w) {
    MatchEnv env =
        new MatchEnv(
            w.packet,
            w.hook.afterRouting() ? w.env.outInterface() : Optional.empty(),
            w.env.localAddresses(),
            w.nat.stream().anyMatch(NatApplied::destination),
            w.nat.stream().anyMatch(n -> !n.destination()));
    Truth unknown = null;
    for (Match m : rule.matches()) {
      Truth t = m.test(env);
      if (t.kind() == Truth.Kind.NO) {
        return t;
      }
      if (t.kind() == Truth.Kind.UNKNOWN && unknown == null) {
        unknown = t;
      }
    }
    return unknown != null ? unknown : Truth.YES;
  }

  /** Applies the target of a matching rule; a non-null result ends the hook. */
  private @Nullable HookResult apply(Walk w, Rule rule, String note) {
    w.hits.add(new RuleHit(rule, note));
    KernelPacket p = w.packet;
    Target t = rule.target();
    if (t instanceof Target.SetMark m) {
      w.packet = p.withMark(m.apply(p.mark()));
    } else if (t instanceof Target.Accept) {
      w.stack.clear();
    } else if (t instanceof Target.Drop) {
      return new HookResult.Dropped(rule, w.hits);
    } else if (t instanceof Target.Reject r) {
      return new HookResult.Rejected(rule, r.with(), w.hits);
    } else if (t instanceof Target.Return) {
      return w.returnFromChain();
    } else if (t instanceof Target.Jump j) {
      if (w.stack.size() >= MAX_DEPTH) {
        return new HookResult.Inconclusive(rule, "chain calls nested too deep (a loop?)", w.hits);
      }
      w.stack.push(new MutFrame(chain(w, j.chain()), 0));
    } else if (t instanceof Target.Goto g) {
      w.stack.pop();
      w.stack.push(new MutFrame(chain(w, g.chain()), 0));
    } else if (t instanceof Target.Dnat d) {
      nat(w, rule, "DNAT", d.address(), d.port().orElse(p.dstPort()));
    } else if (t instanceof Target.Snat s) {
      nat(w, rule, "SNAT", s.address(), s.port().orElse(p.srcPort()));
    } else if (t instanceof Target.Redirect r) {
      Optional<IpAddr> to = w.env.redirectAddress();
      if (to.isEmpty()) {
        return new HookResult.Inconclusive(
            rule, "REDIRECT: no IPv4 address known on the input interface", w.hits);
      }
      nat(w, rule, "REDIRECT", to.get(), r.port().orElse(p.dstPort()));
    } else if (t instanceof Target.Masquerade) {
      Optional<IpAddr> src = w.env.masqueradeSource();
      if (src.isEmpty()) {
        return new HookResult.Inconclusive(
            rule, "MASQUERADE: no IPv4 address on the output interface", w.hits);
      }
      nat(w, rule, "MASQUERADE", src.get(), p.srcPort());
    } else if (t instanceof Target.Unmodeled u) {
      return new HookResult.Inconclusive(rule, u.why(), w.hits);
    }
    // Target.None and Target.Continue: the walk goes on
    return null;
  }

  /** NAT targets rewrite the packet and end the nat table's walk (like ACCEPT). */
  private static void nat(Walk w, Rule rule, String kind, IpAddr to, int port) {
    KernelPacket p = w.packet;
    boolean dst = kind.equals("DNAT") || kind.equals("REDIRECT");
    w.nat.add(
        dst
            ? new NatApplied(kind, rule, p.dst(), p.dstPort(), to, port)
            : new NatApplied(kind, rule, p.src(), p.srcPort(), to, port));
    w.packet = dst ? p.withDst(to, port) : p.withSrc(to, port);
    w.stack.clear();
  }

  private Chain chain(Walk w, String name) {
    // The parser made Jump/Goto only to chains declared in the same table.
    return rules.chain(w.table(), name).orElseThrow();
  }

  /** Mutable walk state; {@link #copy} for a fork. */
  private final class Walk {
    final Hook hook;
    final HookEnv env;
    KernelPacket packet;
    final List<NatApplied> nat;
    final List<RuleHit> hits = new ArrayList<>();
    final Deque<MutFrame> stack = new ArrayDeque<>();
    int tableIdx = -1;
    final int[] budget; // shared by forks: steps, forks

    Walk(Hook hook, HookEnv env, KernelPacket packet, List<NatApplied> nat, int[] budget) {
      this.hook = hook;
      this.env = env;
      this.packet = packet;
      this.nat = nat;
      this.budget = budget;
    }

    String table() {
      return hook.tables().get(tableIdx);
    }

    /** Enters the next table with a chain for this hook; false when none is left. */
    boolean nextTable() {
      while (++tableIdx < hook.tables().size()) {
        String t = table();
        // nat rules see only a connection's first packet; later ones reuse its conntrack entry
        if (t.equals("nat") && packet.ctState() != CtState.NEW) {
          continue;
        }
        Optional<Chain> c = rules.chain(t, hook.name());
        if (c.isPresent()) {
          stack.push(new MutFrame(c.get(), 0));
          return true;
        }
      }
      return false;
    }

    /** Leaves the current chain; leaving the built-in one applies its policy. */
    @Nullable HookResult returnFromChain() {
      stack.pop();
      if (!stack.isEmpty()) {
        return null;
      }
      Chain base = rules.chain(table(), hook.name()).orElseThrow();
      String policy = base.policy().orElse("ACCEPT");
      if (policy.equals("ACCEPT")) {
        return null;
      }
      Rule pol =
          new Rule(
              table(),
              base.name(),
              0,
              ":" + base.name() + " " + policy + " (policy)",
              List.of(),
              policy.equals("DROP")
                  ? new Target.Drop()
                  : new Target.Unmodeled(policy, "policy " + policy));
      hits.add(new RuleHit(pol, "chain policy"));
      return policy.equals("DROP")
          ? new HookResult.Dropped(pol, hits)
          : new HookResult.Inconclusive(pol, "unknown policy " + policy, hits);
    }

    Walk copy() {
      Walk c = new Walk(hook, env, packet, new ArrayList<>(nat), budget);
      c.hits.addAll(hits);
      c.tableIdx = tableIdx;
      List<MutFrame> frames = new ArrayList<>(stack);
      for (int i = frames.size() - 1; i >= 0; i--) {
        c.stack.push(new MutFrame(frames.get(i).chain, frames.get(i).next));
      }
      return c;
    }
  }

  private static final class MutFrame {
    final Chain chain;
    int next;

    MutFrame(Chain chain, int next) {
      this.chain = chain;
      this.next = next;
    }
  }
}
