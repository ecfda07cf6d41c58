package io.podpath.aggregator.trace;

import io.podpath.aggregator.model.Outcome;
import io.podpath.aggregator.model.TracedPacket;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** One direction's verdict with every node's observations; each verdict carries its own facts. */
public sealed interface DirectionResult {
  String summary();

  List<Hop> hops();

  /** The packet as it was first sent. */
  TracedPacket packet();

  /** What the stitcher did beyond following the packet (a retrace after DNAT, …). */
  List<String> notes();

  Verdict verdict();

  /** This result with {@code note} appended. */
  DirectionResult withNote(String note);

  /** Reached the intended pod. */
  record Delivered(String summary, List<Hop> hops, TracedPacket packet, List<String> notes)
      implements DirectionResult {
    public Delivered {
      hops = List.copyOf(hops);
      notes = List.copyOf(notes);
    }

    @Override
    public Verdict verdict() {
      return Verdict.DELIVERED;
    }

    @Override
    public Delivered withNote(String note) {
      return new Delivered(summary, hops, packet, plus(notes, note));
    }
  }

  /** Dropped on {@code node}; {@code drop} when the agent said where and why. */
  record Dropped(
      String summary,
      List<Hop> hops,
      TracedPacket packet,
      List<String> notes,
      String node,
      Optional<Outcome.Drop> drop)
      implements DirectionResult {
    public Dropped {
      hops = List.copyOf(hops);
      notes = List.copyOf(notes);
    }

    @Override
    public Verdict verdict() {
      return Verdict.DROPPED;
    }

    @Override
    public Dropped withNote(String note) {
      return new Dropped(summary, hops, packet, plus(notes, note), node, drop);
    }
  }

  /**
   * Left the cluster's overlay {@code via} a node's port. {@code egressSource}: the source address
   * it leaves with after SNAT, when the node's kernel hop said so; {@code routedOut}: the node's
   * kernel routed it out of a non-OVS device (not just out of OVS).
   */
  record LeftCluster(
      String summary,
      List<Hop> hops,
      TracedPacket packet,
      List<String> notes,
      String via,
      Optional<String> egressSource,
      boolean routedOut)
      implements DirectionResult {
    public LeftCluster {
      hops = List.copyOf(hops);
      notes = List.copyOf(notes);
    }

    @Override
    public Verdict verdict() {
      return Verdict.LEFT_CLUSTER;
    }

    @Override
    public LeftCluster withNote(String note) {
      return new LeftCluster(
          summary, hops, packet, plus(notes, note), via, egressSource, routedOut);
    }
  }

  /** podpath could not follow the packet to the end, for {@code reason}. */
  record Inconclusive(
      String summary,
      List<Hop> hops,
      TracedPacket packet,
      List<String> notes,
      String reason,
      boolean agentUnreachable)
      implements DirectionResult {
    public Inconclusive {
      hops = List.copyOf(hops);
      notes = List.copyOf(notes);
    }

    /** Inconclusive for a reason in the network or the data, not podpath's reach to an agent. */
    public Inconclusive(
        String summary, List<Hop> hops, TracedPacket packet, List<String> notes, String reason) {
      this(summary, hops, packet, notes, reason, false);
    }

    @Override
    public Verdict verdict() {
      return Verdict.INCONCLUSIVE;
    }

    @Override
    public Inconclusive withNote(String note) {
      return new Inconclusive(summary, hops, packet, plus(notes, note), reason, agentUnreachable);
    }
  }

  private static List<String> plus(List<String> notes, String note) {
    List<String> out = new ArrayList<>(notes);
    out.add(note);
    return out;
  }
}
