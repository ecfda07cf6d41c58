package io.podpath.agent.grpc;

import io.podpath.agent.kernel.KernelHopOutcome;
import io.podpath.agent.kernel.KernelPacket;
import io.podpath.agent.kernel.iptables.NatApplied;
import io.podpath.agent.kernel.iptables.RuleHit;
import io.podpath.agent.kernel.iptables.Target;
import io.podpath.agent.trace.KernelPart;
import io.podpath.agent.trace.KernelStage;
import io.podpath.proto.v1.KernelHop;
import io.podpath.proto.v1.KernelRuleHit;
import io.podpath.proto.v1.Packet;
import io.podpath.proto.v1.Protocol;
import java.util.List;

/** Maps the node kernel's part of a trace ({@link KernelPart}) to the proto KernelHop. */
final class KernelHopMapper {
  private KernelHopMapper() {}

  static KernelHop toProto(KernelPart part) {
    KernelHop.Builder b = KernelHop.newBuilder().setEnteredBy(part.enteredBy());
    KernelHopOutcome o = part.hop();
    if (o instanceof KernelHopOutcome.Forwarded f) {
      b.setResult(KernelHop.Result.RESULT_FORWARDED).setDevice(f.device());
      f.gateway().ifPresent(g -> b.setGateway(g.toString()));
      b.setPacket(packet(f.packet()));
      nat(b, f.nat());
    } else if (o instanceof KernelHopOutcome.BackToOvs t) {
      b.setResult(KernelHop.Result.RESULT_BACK_TO_OVS).setDevice(t.device());
      t.gateway().ifPresent(g -> b.setGateway(g.toString()));
      part.backTo().ifPresent(p -> b.setOvsBridge(p.bridge()).setOfport(p.ofport()));
      Packet.Builder p = packet(t.packet()).toBuilder();
      part.nextHopMac().ifPresent(p::setDstMac);
      b.setPacket(p);
      nat(b, t.nat());
    } else if (o instanceof KernelHopOutcome.DeliveredLocal d) {
      b.setResult(KernelHop.Result.RESULT_DELIVERED_LOCAL).setPacket(packet(d.packet()));
      nat(b, d.nat());
    } else if (o instanceof KernelHopOutcome.Dropped d) {
      b.setResult(KernelHop.Result.RESULT_DROPPED)
          .setCause(d.cause().text())
          .setCauseCode(KernelStage.code(d.cause()));
    } else if (o instanceof KernelHopOutcome.Inconclusive i) {
      b.setResult(KernelHop.Result.RESULT_INCONCLUSIVE).setCause(i.why());
    }
    for (RuleHit h : o.hits()) {
      b.addRules(
          KernelRuleHit.newBuilder()
              .setTable(h.rule().table())
              .setChain(h.rule().chain())
              .setNumber(Math.max(0, h.rule().number()))
              .setRule(h.rule().text())
              .setVerdict(verdict(h.rule().target()))
              .setNote(h.note()));
    }
    b.addAllFacts(o.facts());
    return b.build();
  }

  private static void nat(KernelHop.Builder b, List<NatApplied> nat) {
    nat.forEach(n -> b.addNat(n.toString()));
  }

  static Packet packet(KernelPacket p) {
    return Packet.newBuilder()
        .setSrcIp(p.src().toString())
        .setDstIp(p.dst().toString())
        .setProtocol(
            switch (p.proto()) {
              case TCP -> Protocol.PROTOCOL_TCP;
              case UDP -> Protocol.PROTOCOL_UDP;
              case SCTP -> Protocol.PROTOCOL_SCTP;
              case ICMP -> Protocol.PROTOCOL_ICMP;
            })
        .setSrcPort(p.srcPort())
        .setDstPort(p.dstPort())
        .setSize(p.size())
        .setAllowFragmentation(!p.df())
        .build();
  }

  static String verdict(Target t) {
    if (t instanceof Target.Accept) {
      return "ACCEPT";
    } else if (t instanceof Target.Drop) {
      return "DROP";
    } else if (t instanceof Target.Reject) {
      return "REJECT";
    } else if (t instanceof Target.Return) {
      return "RETURN";
    } else if (t instanceof Target.Jump j) {
      return "jump " + j.chain();
    } else if (t instanceof Target.Goto g) {
      return "goto " + g.chain();
    } else if (t instanceof Target.Dnat) {
      return "DNAT";
    } else if (t instanceof Target.Snat) {
      return "SNAT";
    } else if (t instanceof Target.Masquerade) {
      return "MASQUERADE";
    } else if (t instanceof Target.Redirect) {
      return "REDIRECT";
    } else if (t instanceof Target.SetMark) {
      return "MARK";
    } else if (t instanceof Target.Continue c) {
      return c.name();
    } else if (t instanceof Target.Unmodeled u) {
      return "unevaluable " + u.name();
    }
    return "";
  }
}
