package io.podpath.agent.trace;

import io.podpath.agent.ovn.LoadBalancerInfo;
import io.podpath.agent.ovn.LogicalFlowInfo;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An OVN load balancer VIP without a backend, on a load balancer with {@code options:reject=true}
 * (as OVN-Kubernetes sets on every Service's): northd turns the VIP into a {@code reject} action,
 * which ovn-controller runs in its slow path (the datapath's {@code controller()} action) and which
 * answers the client with a TCP reset or an ICMP port unreachable instead of forwarding anything.
 * OVN-Kubernetes leaves such a VIP on a node's gateway router for an externalTrafficPolicy Local
 * NodePort where that node has no endpoint. Without this, the trace would stop at "sent to the
 * OpenFlow controller": the packet is rejected, and the load balancer is what says so.
 */
final class LbReject {
  /** The stable cause of such a drop (DropInfo.cause_code). */
  static final String CAUSE = "lb-no-backend";

  private static final Pattern REJECT = Pattern.compile("(^|[;{]\\s*)reject\\s*\\{");
  private static final Pattern RULE_COOKIE = Pattern.compile("rule_cookie=(0x[0-9a-fA-F]+)");

  private LbReject() {}

  /** A CONTROLLER outcome that is a load balancer's reject, as a drop naming it; else as it was. */
  static Outcome explain(Outcome o, List<DecodedStep> steps, ParsedTrace parsed) {
    if (o.kind() != Outcome.Kind.CONTROLLER) {
      return o;
    }
    Matcher c = RULE_COOKIE.matcher(parsed.datapathActions());
    Optional<String> cookie = c.find() ? Optional.of(c.group(1)) : Optional.empty();
    Optional<DecodedStep> step =
        steps.stream()
            .filter(d -> d.step().actions().stream().anyMatch(a -> a.startsWith("controller(")))
            .filter(d -> cookie.map(k -> k.equalsIgnoreCase(d.step().cookie())).orElse(true))
            .reduce((a, b) -> b);
    if (step.isEmpty() || step.get().logicalFlow().isEmpty()) {
      return o;
    }
    LogicalFlowInfo flow = step.get().logicalFlow().get();
    // northd writes a backend-less VIP's reject in a load balancing stage (lr_in_dnat, ls_in_lb);
    // a reject ACL's is in an ACL stage and is not this
    boolean lbStage =
        flow.stage().filter(st -> st.contains("dnat") || st.contains("_lb")).isPresent();
    if (!REJECT.matcher(flow.actions()).find() || (flow.loadBalancer().isEmpty() && !lbStage)) {
      return o;
    }
    FlowFields in = FlowFields.parse(parsed.finalFlow());
    String ip = in.get("nw_dst").or(() -> in.get("ipv6_dst").map(v -> "[" + v + "]")).orElse("");
    String port = in.get("tp_dst").orElse("");
    String vip = port.isEmpty() ? ip : ip + ":" + port;
    Optional<LoadBalancerInfo> lb = flow.loadBalancer();
    if (lb.isPresent() && !lb.get().vips().getOrDefault(vip, "").isEmpty()) {
      // the VIP has backends: this reject is not the load balancer's empty VIP
      return o;
    }
    // the Southbound copies only switches' load balancers: a gateway router's is named by the NB
    String which =
        lb.map(
                l -> {
                  String owner = l.externalIds().getOrDefault("k8s.ovn.org/owner", "");
                  return l.name() + (owner.isEmpty() ? "" : " (Service " + owner + ")");
                })
            .orElse("(its Northbound row, which names it, is out of reach)");
    String answer =
        parsed.finalFlow().contains("tcp")
            ? "a TCP reset"
            : parsed.finalFlow().contains("sctp") ? "an SCTP abort" : "an ICMP port unreachable";
    String reason =
        "rejected by OVN load balancer "
            + which
            + " on "
            + flow.datapath().orElse("its datapath")
            + ": VIP "
            + vip
            + " has no backend there, so OVN answers the client with "
            + answer
            + " (options:reject) and forwards nothing";
    String summary = "dropped in table " + step.get().step().table() + ": " + reason;
    Outcome.Drop drop =
        new Outcome.Drop(
            step.get().step().table(),
            step.get().step().cookie(),
            reason,
            Optional.empty(),
            Optional.of(flow),
            CAUSE);
    return Outcome.simple(Outcome.Kind.DROPPED, summary).withDrop(drop, summary);
  }
}
