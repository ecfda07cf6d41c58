package io.podpath.agent.trace;

import static io.podpath.agent.trace.TraceFixtures.read;
import static io.podpath.agent.trace.TraceFixtures.why;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.net.InetAddresses;
import io.podpath.agent.ovn.AclInfo;
import io.podpath.agent.ovn.LogicalFlowInfo;
import io.podpath.agent.ovn.PolicyRef;
import io.podpath.agent.ovn.PolicyResolver;
import io.podpath.agent.ovsdb.OvsState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class OvnDecodingTest {
  private static final OvsState NODE1_OVS =
      new OvsState(
          new OvsState.OvsSystem("", "", Map.of("ovn-remote", "tcp:172.31.3.2:6642"), List.of()),
          List.of(),
          List.of(),
          List.of());

  private static OvnLink.Session session(boolean withNb, List<TraceFinding> findings) {
    OvnLink link = new OvnLink(r -> FixtureRows.tables(withNb));
    return link.open(NODE1_OVS, Duration.ofSeconds(1), findings).orElseThrow();
  }

  private static Outcome dropOutcome(String trace, boolean withNb, List<TraceFinding> findings) {
    DpifPorts dpif = DpifPorts.parse(read("dpif-show-node1.txt"));
    ParsedTrace p = TraceOutputParser.parse(read(trace));
    Outcome o =
        OutcomeClassifier.classify(
                p,
                dpif,
                PortDirectory.of(FixtureRows.interfaces("interfaces-node1.json"), dpif),
                "br-int")
            .outcome();
    return session(withNb, findings).explainDrop(o, p, findings);
  }

  @Test
  void everyCookieOfASameNodeTraceIsALogicalFlow() {
    String f = "same-node-tcp.txt";
    List<DecodedStep> steps =
        session(true, new ArrayList<>()).decodeSteps(TraceOutputParser.parse(read(f)));
    // tables 8-36 hold the logical ingress pipeline (lower and higher ones are physical flows
    // whose cookies name Port_Bindings instead)
    List<DecodedStep> withCookie =
        steps.stream()
            .filter(s -> !s.step().cookie().isEmpty())
            .filter(s -> s.step().table() >= 8 && s.step().table() <= 36)
            .toList();
    assertThat(withCookie).as(why(f)).isNotEmpty();
    assertThat(withCookie).as(why(f)).allSatisfy(s -> assertThat(s.logicalFlow()).isPresent());
    LogicalFlowInfo first = withCookie.get(0).logicalFlow().orElseThrow();
    assertThat(first.uuid()).as(why(f)).startsWith(withCookie.get(0).step().cookie().substring(2));
    assertThat(first.pipeline()).as(why(f)).isEqualTo("ingress");
    assertThat(first.stage().orElseThrow()).as(why(f)).startsWith("ls_in_");
    assertThat(first.datapath()).as(why(f)).contains("node1");
  }

  @Test
  void policyDropNamesTheNetworkPolicyThroughTheNorthbound() {
    // hack/sandbox policy deny-ingress default/web-N creates NetworkPolicy
    // default/deny-ingress-web-N
    for (String[] c :
        new String[][] {
          {"policy-drop-same-node.txt", "deny-ingress-web-1"},
          {"policy-drop-tunnel-ingress.txt", "deny-ingress-web-2"}
        }) {
      String f = c[0];
      List<TraceFinding> findings = new ArrayList<>();
      Outcome o = dropOutcome(f, true, findings);
      Outcome.Drop d = o.drop().orElseThrow();
      assertThat(d.policy())
          .as(why(f))
          .contains(new PolicyRef("default", c[1], PolicyRef.Direction.INGRESS));
      assertThat(o.summary()).as(why(f)).startsWith("NetworkPolicy default/" + c[1] + " (ingress)");
      LogicalFlowInfo lf = d.logicalFlow().orElseThrow();
      assertThat(lf.stage()).as(why(f)).contains("ls_out_acl");
      assertThat(lf.acl().orElseThrow().externalIds())
          .as(why(f))
          .containsEntry("k8s.ovn.org/owner-type", "NetpolNamespace");
    }
  }

  @Test
  void withoutTheNorthboundTheAclStageIsStillShown() {
    String f = "policy-drop-same-node.txt";
    List<TraceFinding> findings = new ArrayList<>();
    Outcome o = dropOutcome(f, false, findings);
    assertThat(o.drop().orElseThrow().policy()).as(why(f)).isEmpty();
    assertThat(o.summary()).as(why(f)).startsWith("dropped by an OVN ACL in table 46");
    assertThat(findings)
        .extracting(TraceFinding::code)
        .contains("ovn-nb-unreachable", "policy-unnamed");
  }

  @Test
  void loadBalancerFlowsPointAtTheNorthboundLoadBalancer() {
    String f = "lb-vip-tcp.txt";
    List<DecodedStep> steps =
        session(true, new ArrayList<>()).decodeSteps(TraceOutputParser.parse(read(f)));
    assertThat(steps)
        .as(why(f))
        .anySatisfy(
            s ->
                assertThat(s.logicalFlow().flatMap(LogicalFlowInfo::loadBalancer))
                    .hasValueSatisfying(lb -> assertThat(lb.vips()).containsKey("10.96.0.10:80")));
  }

  @Test
  void withoutTheNorthboundTheLoadBalancerComesFromTheSouthbound() {
    String f = "lb-vip-tcp.txt";
    ParsedTrace p = TraceOutputParser.parse(read(f));
    OvnLink.Session s = session(false, new ArrayList<>());
    List<DecodedStep> steps = s.decodeSteps(p);
    DpifPorts dpif = DpifPorts.parse(read("dpif-show-node1.txt"));
    Outcome o = OutcomeClassifier.classify(p, dpif, Map.of(), "br-int").outcome();
    Outcome explained = s.explainRecirculation(o, steps, p);
    assertThat(explained.summary())
        .as(why(f))
        .startsWith(
            "stopped at OVN load balancer Service_default/web_TCP_cluster: 10.96.0.10:80 -> ")
        .contains("trace a backend directly");
    assertThat(explained.recirculation()).as(why(f)).isEqualTo(o.recirculation());
  }

  @Test
  void gatewayAndPodMacsComeFromTheSouthbound() {
    OvnLink.Session s = session(false, new ArrayList<>());
    assertThat(s.podMac("default_client-1")).contains("0a:58:0a:f4:01:04");
    assertThat(s.nextHopMac("default_client-1", InetAddresses.forString("10.244.1.3")))
        .contains("0a:58:0a:f4:01:03");
    assertThat(s.nextHopMac("default_client-1", InetAddresses.forString("10.244.2.3")))
        .contains("0a:58:0a:f4:01:01");
    assertThat(s.podMac("nope_nope")).isEqualTo(Optional.empty());
    assertThat(s.podIps("default_client-1")).containsExactly("10.244.1.4");
  }

  @Test
  void aclNamesAndLegacyKeysNameThePolicy() {
    assertThat(PolicyResolver.fromAclName("NP:prod:deny-all:Egress:0"))
        .contains(new PolicyRef("prod", "deny-all", PolicyRef.Direction.EGRESS));
    var legacy =
        new AclInfo(
            "u",
            "drop",
            "to-lport",
            "m",
            OptionalInt.of(1000),
            "",
            Map.of("policy", "deny-all", "namespace", "prod", "policy_type", "Ingress"));
    assertThat(PolicyResolver.fromAcl(legacy, Optional.empty(), Optional.empty()))
        .containsExactly(new PolicyRef("prod", "deny-all", PolicyRef.Direction.INGRESS));
    var rule =
        new AclInfo(
            "u",
            "allow-related",
            "from-lport",
            "m",
            OptionalInt.of(1001),
            "",
            Map.of(
                "k8s.ovn.org/owner-type", "NetworkPolicy", "k8s.ovn.org/name", "prod:allow-dns"));
    assertThat(PolicyResolver.fromAcl(rule, Optional.empty(), Optional.empty()))
        .containsExactly(new PolicyRef("prod", "allow-dns", PolicyRef.Direction.EGRESS));
  }
}
