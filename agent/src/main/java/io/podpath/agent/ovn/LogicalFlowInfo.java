package io.podpath.agent.ovn;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;

/**
 * A Southbound Logical_Flow an OpenFlow cookie points to, with what is behind it: the ACL or load
 * balancer its stage-hint names and the NetworkPolicy that ACL implements, when known. Build one
 * with {@link #builder}; change one with {@link #toBuilder}.
 *
 * @param tableId empty when the row has no table_id
 * @param stage external_ids:stage-name; empty when northd set none
 * @param priority empty when the row has no priority
 * @param datapath the logical datapath's name; empty when neither the tunnel key nor the row's
 *     logical_datapath leads to one
 * @param stageHint external_ids:stage-hint, the NB row (ACL, load balancer) behind the flow
 */
public record LogicalFlowInfo(
    String uuid,
    String pipeline,
    OptionalInt tableId,
    Optional<String> stage,
    String match,
    String actions,
    OptionalInt priority,
    Optional<String> datapath,
    Optional<String> stageHint,
    Optional<AclInfo> acl,
    Optional<LoadBalancerInfo> loadBalancer,
    Optional<PolicyRef> policy) {

  /** The flow with Southbound row {@code uuid}; pipeline, match and actions must be set. */
  public static Builder builder(String uuid) {
    return new Builder(uuid);
  }

  /** This flow, to change some of it. */
  public Builder toBuilder() {
    return builder(uuid)
        .pipeline(pipeline)
        .tableId(tableId)
        .stage(stage)
        .match(match)
        .actions(actions)
        .priority(priority)
        .datapath(datapath)
        .stageHint(stageHint)
        .acl(acl)
        .loadBalancer(loadBalancer)
        .policy(policy);
  }

  /** True for the ACL stages (ls_in_acl*, ls_out_acl*). */
  public boolean isAclStage() {
    return stage.filter(s -> s.contains("_acl")).isPresent();
  }

  /** Named fields instead of twelve positional ones; what is not set is absent. */
  public static final class Builder {
    private final String uuid;
    private @Nullable String pipeline;
    private OptionalInt tableId = OptionalInt.empty();
    private Optional<String> stage = Optional.empty();
    private @Nullable String match;
    private @Nullable String actions;
    private OptionalInt priority = OptionalInt.empty();
    private Optional<String> datapath = Optional.empty();
    private Optional<String> stageHint = Optional.empty();
    private Optional<AclInfo> acl = Optional.empty();
    private Optional<LoadBalancerInfo> loadBalancer = Optional.empty();
    private Optional<PolicyRef> policy = Optional.empty();

    private Builder(String uuid) {
      this.uuid = uuid;
    }

    public Builder pipeline(String v) {
      pipeline = v;
      return this;
    }

    public Builder tableId(OptionalInt v) {
      tableId = v;
      return this;
    }

    public Builder stage(Optional<String> v) {
      stage = v;
      return this;
    }

    public Builder match(String v) {
      match = v;
      return this;
    }

    public Builder actions(String v) {
      actions = v;
      return this;
    }

    public Builder priority(OptionalInt v) {
      priority = v;
      return this;
    }

    public Builder datapath(Optional<String> v) {
      datapath = v;
      return this;
    }

    public Builder stageHint(Optional<String> v) {
      stageHint = v;
      return this;
    }

    public Builder acl(Optional<AclInfo> v) {
      acl = v;
      return this;
    }

    public Builder loadBalancer(Optional<LoadBalancerInfo> v) {
      loadBalancer = v;
      return this;
    }

    public Builder policy(Optional<PolicyRef> v) {
      policy = v;
      return this;
    }

    public LogicalFlowInfo build() {
      return new LogicalFlowInfo(
          uuid,
          Objects.requireNonNull(pipeline, "pipeline"),
          tableId,
          stage,
          Objects.requireNonNull(match, "match"),
          Objects.requireNonNull(actions, "actions"),
          priority,
          datapath,
          stageHint,
          acl,
          loadBalancer,
          policy);
    }
  }
}
