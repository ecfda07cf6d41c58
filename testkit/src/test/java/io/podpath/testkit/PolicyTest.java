package io.podpath.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SandboxExtension.class)
@SandboxConfig(apps = false)
class PolicyTest {
  private static final List<Probe> ALL = List.of(Probe.tcp(80), Probe.udp(53), Probe.icmp());

  @AfterEach
  void clear(Sandbox sb) {
    sb.clearPolicies();
  }

  @Test
  void denyIngressBlocksExactlyIngressToThatPodAndClearHeals(Sandbox sb) throws Exception {
    sb.policyDenyIngress("default/web-2");
    List<SandboxTests.Case> cases = new ArrayList<>();
    for (SandboxTests.Case c : SandboxTests.allPairs(sb, ALL)) {
      boolean toVictim = c.dst().equals("default/web-2");
      cases.add(new SandboxTests.Case(c.src(), c.dst(), c.probe(), !toVictim));
    }
    SandboxTests.assertOutcomes(sb, cases);
    assertThat(sb.probe("default/web-2", "ext", Probe.tcp(80)).delivered()).isTrue();
    assertThat(Files.readString(sb.manifest()))
        .contains("kind: NetworkPolicy")
        .contains("name: deny-ingress-web-2");

    ExecResult acls =
        sb.exec(
            "central",
            "ovn-nbctl",
            "--db=unix:" + sb.ovnNbSocket().orElseThrow(),
            "--format=csv",
            "--columns=action,direction,priority,match,external_ids",
            "list",
            "acl");
    assertThat(acls.stdout())
        .contains("k8s.ovn.org/owner-type\"\"=NetpolNamespace")
        .contains("_ingressDefaultDeny");
    ExecResult groups =
        sb.exec(
            "central",
            "ovn-nbctl",
            "--db=unix:" + sb.ovnNbSocket().orElseThrow(),
            "--columns=name,external_ids",
            "list",
            "port_group");
    assertThat(groups.stdout())
        .contains("\"k8s.ovn.org/owner-type\"=NetworkPolicy")
        .contains("\"k8s.ovn.org/name\"=\"default:deny-ingress-web-2\"");

    sb.clearPolicies();
    for (Pod src : sb.pods()) {
      if (!src.ref().equals("default/web-2")) {
        assertThat(sb.probe(src.ref(), "default/web-2", Probe.tcp(80)).delivered()).isTrue();
      }
    }
    assertThat(Files.readString(sb.manifest())).doesNotContain("kind: NetworkPolicy");
  }
}
