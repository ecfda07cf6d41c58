package io.podpath.agent.ovn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/**
 * What the builder leaves absent, what it requires, and that toBuilder changes only what it sets.
 */
class LogicalFlowInfoTest {
  private static LogicalFlowInfo.Builder acl() {
    return LogicalFlowInfo.builder("3e1b5a6c-0000-4000-8000-000000000001")
        .pipeline("egress")
        .match("outport == \"default_web-1\" && ip4")
        .actions("/* drop */")
        .stage(Optional.of("ls_out_acl"));
  }

  @Test
  void whatIsNotSetIsAbsent() {
    LogicalFlowInfo f = acl().build();
    assertThat(f.tableId()).isEmpty();
    assertThat(f.priority()).isEmpty();
    assertThat(f.datapath()).isEmpty();
    assertThat(f.stageHint()).isEmpty();
    assertThat(f.acl()).isEmpty();
    assertThat(f.loadBalancer()).isEmpty();
    assertThat(f.policy()).isEmpty();
    assertThat(f.isAclStage()).isTrue();
    assertThat(acl().stage(Optional.empty()).build().isAclStage()).isFalse();
  }

  @Test
  void pipelineMatchAndActionsAreRequired() {
    assertThatThrownBy(() -> LogicalFlowInfo.builder("u").pipeline("ingress").match("1").build())
        .hasMessageContaining("actions");
  }

  @Test
  void toBuilderKeepsEverythingItDoesNotSet() {
    LogicalFlowInfo f =
        acl()
            .tableId(OptionalInt.of(4))
            .priority(OptionalInt.of(2000))
            .datapath(Optional.of("node1"))
            .stageHint(Optional.of("9a0d"))
            .acl(
                Optional.of(
                    new AclInfo(
                        "9a0d", "drop", "to-lport", "ip4", OptionalInt.of(1000), "", Map.of())))
            .build();
    PolicyRef p = new PolicyRef("default", "deny-ingress-web-1", PolicyRef.Direction.INGRESS);
    LogicalFlowInfo changed = f.toBuilder().policy(Optional.of(p)).build();
    assertThat(changed.policy()).contains(p);
    assertThat(changed).usingRecursiveComparison().ignoringFields("policy").isEqualTo(f);
    assertThat(f.toBuilder().build()).isEqualTo(f);
  }
}
