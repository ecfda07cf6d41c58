package io.podpath.agent.kernel.iptables;

import io.podpath.agent.kernel.Cidr;
import io.podpath.agent.kernel.CtState;
import io.podpath.agent.kernel.IpAddr;
import io.podpath.agent.kernel.KernelPacket;
import io.podpath.agent.kernel.Proto;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** One condition of a rule, evaluated against a packet. */
public sealed interface Match {
  Truth test(MatchEnv env);

  /** {@code -s} / {@code -d}. */
  record Address(boolean source, Cidr cidr, boolean negated) implements Match {
    @Override
    public Truth test(MatchEnv env) {
      KernelPacket p = env.packet();
      return Truth.of(cidr.contains(source ? p.src() : p.dst())).negate(negated);
    }
  }

  /** {@code -p}: a protocol number ({@code all} = 0 matches every packet). */
  record Protocol(int number, boolean negated) implements Match {
    @Override
    public Truth test(MatchEnv env) {
      return Truth.of(number == 0 || env.packet().protoNumber() == number).negate(negated);
    }
  }

  /** An inclusive port range. */
  record PortRange(int low, int high) {
    boolean contains(int p) {
      return p >= low && p <= high;
    }
  }

  /** {@code --sport}/{@code --dport} (tcp, udp, sctp) and multiport's lists. */
  record Ports(boolean source, List<PortRange> ranges, boolean negated) implements Match {
    public Ports {
      ranges = List.copyOf(ranges);
    }

    @Override
    public Truth test(MatchEnv env) {
      KernelPacket p = env.packet();
      if (!p.proto().hasPorts()) {
        return Truth.NO;
      }
      int port = source ? p.srcPort() : p.dstPort();
      return Truth.of(ranges.stream().anyMatch(r -> r.contains(port))).negate(negated);
    }
  }

  /** {@code -i}/{@code -o}; a trailing {@code +} matches every name with that prefix. */
  record Interface(boolean in, String name, boolean negated) implements Match {
    @Override
    public Truth test(MatchEnv env) {
      Optional<String> dev = in ? env.packet().inInterface() : env.outInterface();
      if (dev.isEmpty()) {
        // -i never matches a locally generated packet; -o is not allowed before routing.
        return in ? Truth.NO.negate(negated) : Truth.unknown("output interface not chosen yet");
      }
      boolean m =
          name.endsWith("+")
              ? dev.get().startsWith(name.substring(0, name.length() - 1))
              : dev.get().equals(name);
      return Truth.of(m).negate(negated);
    }
  }

  /** {@code -m conntrack --ctstate} / {@code -m state --state}. */
  record ConnState(Set<String> states, boolean negated) implements Match {
    public ConnState {
      states = Set.copyOf(states);
    }

    @Override
    public Truth test(MatchEnv env) {
      CtState s = env.packet().ctState();
      boolean any = states.contains(s.name());
      if (states.contains("DNAT") || states.contains("SNAT")) {
        if (s != CtState.NEW) {
          // An existing connection's NAT lives in its conntrack entry, which this pass never saw.
          return any
              ? Truth.YES.negate(negated)
              : Truth.unknown("DNAT/SNAT state of an existing connection");
        }
        any |=
            (states.contains("DNAT") && env.dnatted())
                || (states.contains("SNAT") && env.snatted());
      }
      return Truth.of(any).negate(negated);
    }
  }

  /** {@code -m addrtype --src-type/--dst-type}, judged against the node's local addresses. */
  record AddrType(boolean source, Set<String> types, boolean negated) implements Match {
    public AddrType {
      types = Set.copyOf(types);
    }

    @Override
    public Truth test(MatchEnv env) {
      IpAddr a = source ? env.packet().src() : env.packet().dst();
      String kind;
      if (env.localAddresses().contains(a)) {
        kind = "LOCAL";
      } else if (a.isMulticast()) {
        kind = "MULTICAST";
      } else if (a.isLimitedBroadcast()) {
        kind = "BROADCAST";
      } else {
        kind = "UNICAST";
      }
      for (String t : types) {
        if (!Set.of("LOCAL", "MULTICAST", "BROADCAST", "UNICAST").contains(t)) {
          return Truth.unknown("addrtype " + t + " needs the routing table's type of " + a);
        }
      }
      return Truth.of(types.contains(kind)).negate(negated);
    }
  }

  /** {@code -m mark --mark V[/M]}. */
  record Mark(long value, long mask, boolean negated) implements Match {
    @Override
    public Truth test(MatchEnv env) {
      return Truth.of((env.packet().mark() & mask) == value).negate(negated);
    }
  }

  /**
   * {@code -m icmp --icmp-type} / {@code -m icmp6 --icmpv6-type}: podpath's ICMP packets are echo
   * requests (type 8; 128 in ICMPv6).
   */
  record IcmpType(boolean v6, String type, boolean negated) implements Match {
    @Override
    public Truth test(MatchEnv env) {
      if (env.packet().proto() != Proto.ICMP || env.packet().v6() != v6) {
        return Truth.NO;
      }
      String echoNumber = v6 ? "128" : "8";
      boolean echo =
          type.equals(echoNumber)
              || type.startsWith(echoNumber + "/")
              || type.equals("echo-request")
              || type.equals("any");
      boolean known = echo || type.matches("\\d+(/\\d+)?") || type.matches("[a-z-]+");
      return known ? Truth.of(echo).negate(negated) : Truth.unknown("icmp type " + type);
    }
  }

  /** {@code -f}: podpath's packets are never non-first fragments. */
  record Fragment(boolean negated) implements Match {
    @Override
    public Truth test(MatchEnv env) {
      return Truth.NO.negate(negated);
    }
  }

  /** {@code -m comment}: always holds; kept to name the rule. */
  record Comment(String text) implements Match {
    @Override
    public Truth test(MatchEnv env) {
      return Truth.YES;
    }
  }

  /** A match podpath does not evaluate (statistic, set, recent, limit, ...): its text and why. */
  record Unevaluable(String text, String why) implements Match {
    @Override
    public Truth test(MatchEnv env) {
      return Truth.unknown(why + " (" + text + ")");
    }
  }
}
