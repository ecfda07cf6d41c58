package io.podpath.aggregator.e2e;

import io.podpath.testkit.Fault;
import io.podpath.testkit.Mode;
import io.podpath.testkit.Probe;
import io.podpath.testkit.Sandbox;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One row of the real-packet matrix: a knob turned on the sandbox, then the same exchange traced by
 * podpath and sent by {@code hack/sandbox probe}; they must agree. {@code src}/{@code dst} use the
 * probe's names ({@code ns/pod}, {@code ext}); {@link #traceDst} turns them into podpath's. {@code
 * warmUp}: a probe sent before the knob (an existing connection). {@code named}: words the trace
 * must show when the real exchange fails (the cause, not only a verdict).
 */
record MatrixScenario(
    String name,
    Set<Mode> modes,
    Knob knob,
    Optional<Probe> warmUp,
    String src,
    String dst,
    Probe probe,
    Optional<String> named) {

  /** A sandbox change with its undo; the undo runs even when the scenario fails. */
  interface Knob {
    void apply(Sandbox sb);

    void reset(Sandbox sb);

    /** The sandbox fault this knob turns, if it is one. */
    default Optional<Fault> fault() {
      return Optional.empty();
    }

    static Knob none() {
      return new Knob() {
        @Override
        public void apply(Sandbox sb) {}

        @Override
        public void reset(Sandbox sb) {}
      };
    }

    static Knob fault(Fault f, String node) {
      return new Knob() {
        @Override
        public void apply(Sandbox sb) {
          sb.breakFault(f, node);
        }

        @Override
        public void reset(Sandbox sb) {
          sb.fix(f, node);
        }

        @Override
        public Optional<Fault> fault() {
          return Optional.of(f);
        }
      };
    }
  }

  static MatrixScenario row(String name, Knob knob, String src, String dst, Probe probe) {
    return new MatrixScenario(
        name,
        Set.of(Mode.OVN, Mode.OVS),
        knob,
        Optional.empty(),
        src,
        dst,
        probe,
        Optional.empty());
  }

  MatrixScenario only(Mode... m) {
    return new MatrixScenario(name, Set.of(m), knob, warmUp, src, dst, probe, named);
  }

  MatrixScenario after(Probe first) {
    return new MatrixScenario(name, modes, knob, Optional.of(first), src, dst, probe, named);
  }

  MatrixScenario naming(String words) {
    return new MatrixScenario(name, modes, knob, warmUp, src, dst, probe, Optional.of(words));
  }

  /** podpath's name of the source: a sandbox node ({@code node1}) is {@code node/node1}. */
  String traceSrc() {
    return src.matches("node\\d+") ? "node/" + src : src;
  }

  String traceDst(Sandbox sb) {
    if (dst.equals("ext")) {
      return "ip:" + sb.externalIp();
    }
    return dst.matches("node\\d+") ? "node/" + dst : dst;
  }

  /**
   * The probe in {@code family} (4 or 6): its sizes are IP total lengths in both families, so the
   * IPv6 payload is 20 bytes smaller (40-byte header) and a row's named sizes hold in both.
   */
  Probe probe(int family) {
    Probe p = probe.inFamily(family);
    if (family == 6 && p.size() != null) {
      p = p.dontFragment() ? p.withDfSize(p.size() - 20) : p.withSize(p.size() - 20);
    }
    return p;
  }

  String traceDst(Sandbox sb, int family) {
    return dst.equals("ext") ? "ip:" + sb.externalIp(family) : traceDst(sb);
  }

  /** {@link #traceOpts()} for {@code family}, with --family (the same IP total length). */
  List<String> traceOpts(int family) {
    List<String> o = new ArrayList<>(traceOpts());
    if (!dst.equals("ext")) {
      o.addAll(List.of("--family", Integer.toString(family)));
    }
    return o;
  }

  /** podpath's options for the probe's packet (the fixed source port included). */
  List<String> traceOpts() {
    List<String> o = new ArrayList<>(List.of(TraceMatrix.opts(probe)));
    if (probe.sourcePort() != null) {
      o.addAll(List.of("--src-port", probe.sourcePort().toString()));
    }
    if (probe.size() != null) {
      // the probe's size is the ICMP/UDP payload; podpath's is the IP total length
      o.addAll(List.of("--size", Integer.toString(probe.size() + 28)));
      o.add(probe.dontFragment() ? "--df" : "--no-df");
    }
    return o;
  }
}
