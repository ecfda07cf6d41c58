package io.podpath.agent.ovn;

import io.podpath.agent.ovsdb.OvsdbRow;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns an OpenFlow cookie installed by ovn-controller into its Southbound Logical_Flow (the cookie
 * is the first 32 bits of the flow's UUID) and follows northd's {@code stage-hint} (the first 8 hex
 * digits of the Northbound row) to the ACL or load balancer behind it. OVN 23.03 does not copy an
 * ACL's external_ids into the Southbound: naming the NetworkPolicy needs the NB, or an ACL name in
 * a {@code log()} action.
 */
public final class OvnDecoder {
  /** ovn-controller's first OpenFlow table of each logical pipeline (OVN 23.03). */
  static final int OFTABLE_INGRESS = 8;

  static final int OFTABLE_EGRESS = 42;
  private static final Pattern LOG_NAME = Pattern.compile("log\\([^)]*name=\"([^\"]*)\"");

  private OvnDecoder() {}

  /**
   * The logical flow behind a cookie seen in OpenFlow table {@code ofTable}, on the logical
   * datapath with tunnel key {@code metadata} (-1 when unknown), with its ACL or load balancer.
   */
  public static Optional<LogicalFlowInfo> flow(
      long cookie, int ofTable, long metadata, Southbound sb, Optional<Northbound> nb) {
    if (cookie == 0) {
      return Optional.empty();
    }
    List<OvsdbRow> rows = sb.flowsForCookie(cookie);
    if (rows.isEmpty()) {
      return Optional.empty();
    }
    // 32 bits can collide: prefer the flow whose pipeline and table fit the OpenFlow table.
    OvsdbRow row = rows.stream().filter(r -> ofTable(r) == ofTable).findFirst().orElse(rows.get(0));
    var ids = row.map("external_ids");
    String hint = ids.getOrDefault("stage-hint", "");
    LogicalFlowInfo info =
        LogicalFlowInfo.builder(row.uuid())
            .pipeline(row.string("pipeline"))
            .tableId(asInt(row.integer("table_id")))
            .stage(nonEmpty(ids.getOrDefault("stage-name", "")))
            .match(row.string("match"))
            .actions(row.string("actions"))
            .priority(asInt(row.integer("priority")))
            .datapath(nonEmpty(datapathName(row, metadata, sb)))
            .stageHint(nonEmpty(hint))
            .build();
    if (!hint.isEmpty() && nb.isPresent() && info.isAclStage()) {
      List<OvsdbRow> acls = nb.get().aclsByHint(hint);
      if (!acls.isEmpty()) {
        info = info.toBuilder().acl(Optional.of(acl(acls.get(0)))).build();
      }
    }
    if (!hint.isEmpty() && info.acl().isEmpty()) {
      // the NB row when reachable, else the SB copy northd makes of every load balancer
      List<OvsdbRow> lbs = nb.map(n -> n.loadBalancersByHint(hint)).orElse(List.of());
      if (lbs.isEmpty()) {
        lbs = sb.loadBalancersByHint(hint);
      }
      if (!lbs.isEmpty()) {
        OvsdbRow lb = lbs.get(0);
        String uuid = lb.map("external_ids").getOrDefault("lb_id", lb.uuid());
        info =
            info.toBuilder()
                .loadBalancer(
                    Optional.of(
                        new LoadBalancerInfo(
                            uuid, lb.string("name"), lb.map("vips"), lb.map("external_ids"))))
                .build();
      }
    }
    return Optional.of(info);
  }

  /**
   * Adds the NetworkPolicy to an ACL flow. {@code droppedPort} is the logical port the ACL guarded
   * (outport for to-lport, inport for from-lport), used to tell which policy a namespace default
   * deny enforces.
   */
  public static LogicalFlowInfo withPolicy(
      LogicalFlowInfo flow, Optional<String> droppedPort, Optional<Northbound> nb) {
    List<PolicyRef> policies = List.of();
    if (flow.acl().isPresent()) {
      policies = PolicyResolver.fromAcl(flow.acl().get(), droppedPort, nb);
    } else {
      Matcher m = LOG_NAME.matcher(flow.actions());
      if (m.find()) {
        policies = PolicyResolver.fromAclName(m.group(1)).map(List::of).orElse(List.of());
      }
    }
    return policies.isEmpty()
        ? flow
        : flow.toBuilder().policy(Optional.of(policies.get(0))).build();
  }

  /** The logical port with tunnel key {@code portKey} on the datapath with key {@code dpKey}. */
  public static Optional<String> logicalPort(Southbound sb, long dpKey, long portKey) {
    return sb.datapathByKey(dpKey)
        .flatMap(dp -> sb.portBindingByKey(dp.uuid(), portKey))
        .map(p -> p.string("logical_port"));
  }

  static AclInfo acl(OvsdbRow a) {
    return new AclInfo(
        a.uuid(),
        a.string("action"),
        a.string("direction"),
        a.string("match"),
        asInt(a.integer("priority")),
        a.string("name"),
        a.map("external_ids"));
  }

  private static OptionalInt asInt(OptionalLong v) {
    return v.isPresent() ? OptionalInt.of((int) v.getAsLong()) : OptionalInt.empty();
  }

  private static Optional<String> nonEmpty(String s) {
    return s.isEmpty() ? Optional.empty() : Optional.of(s);
  }

  private static int ofTable(OvsdbRow r) {
    long t = r.integer("table_id").orElse(-100);
    return (int) t + ("egress".equals(r.string("pipeline")) ? OFTABLE_EGRESS : OFTABLE_INGRESS);
  }

  private static String datapathName(OvsdbRow flow, long metadata, Southbound sb) {
    if (metadata >= 0) {
      Optional<OvsdbRow> dp = sb.datapathByKey(metadata);
      if (dp.isPresent()) {
        return Southbound.datapathName(dp.get());
      }
    }
    return sb.datapath(flow.string("logical_datapath")).map(Southbound::datapathName).orElse("");
  }
}
