package io.podpath.agent.ovn;

import java.util.Optional;

/**
 * A Southbound Logical_Flow an OpenFlow cookie points to, with what is behind it: the ACL or load
 * balancer its stage-hint names and the NetworkPolicy that ACL implements, when known.
 */
public record LogicalFlowInfo(
    String uuid,
    String pipeline,
    int tableId,
    String stage,
    String match,
    String actions,
    int priority,
    String datapath,
    String stageHint,
    Optional<AclInfo> acl,
    Optional<LoadBalancerInfo> loadBalancer,
    Optional<PolicyRef> policy) {

  public LogicalFlowInfo withAcl(Optional<AclInfo> a, Optional<PolicyRef> p) {
    return new LogicalFlowInfo(
        uuid,
        pipeline,
        tableId,
        stage,
        match,
        actions,
        priority,
        datapath,
        stageHint,
        a,
        loadBalancer,
        p);
  }

  public LogicalFlowInfo withLoadBalancer(Optional<LoadBalancerInfo> lb) {
    return new LogicalFlowInfo(
        uuid, pipeline, tableId, stage, match, actions, priority, datapath, stageHint, acl, lb,
        policy);
  }

  public LogicalFlowInfo withDatapath(String name) {
    return new LogicalFlowInfo(
        uuid,
        pipeline,
        tableId,
        stage,
        match,
        actions,
        priority,
        name,
        stageHint,
        acl,
        loadBalancer,
        policy);
  }

  /** True for the ACL stages (ls_in_acl*, ls_out_acl*). */
  public boolean isAclStage() {
    return stage.contains("_acl");
  }
}
