package io.podpath.agent.cni;

import static org.assertj.core.api.Assertions.assertThat;

import io.podpath.agent.trace.TraceOutputParser;
import org.junit.jupiter.api.Test;

/** Drops in ofproto/trace output recorded from the sdn, aci, ovn and antrea sandboxes. */
class DropExplainerTest {

  /**
   * Antrea's Conntrack (table 30) and ConntrackCommit (105) print "drop" after their {@code
   * ct(table=N)}: the packet goes on in the recirculation (here to the tunnel), so nothing drops.
   */
  @Test
  void antreasRecirculatingConntrackIsNotADrop() {
    String trace = CniFixtures.read("trace/antrea-cross-node-tcp.txt");
    assertThat(trace).contains("ct(table=31,zone=65520)\n    drop");
    assertThat(DropExplainer.explain(CniProfiles.of(Cni.ANTREA), TraceOutputParser.parse(trace)))
        .isEmpty();
  }

  private static DropExplanation explain(Cni cni, String fixture) {
    return DropExplainer.explain(
            CniProfiles.of(cni), TraceOutputParser.parse(CniFixtures.read(fixture)))
        .orElseThrow();
  }

  @Test
  void sdnMultitenantDropIsExplainedAsTable80Isolation() {
    DropExplanation d = explain(Cni.OPENSHIFT_SDN, "cni/sdn/same-node-isolated.trace");
    assertThat(d).isInstanceOf(DropExplanation.PipelineTable.class);
    DropExplanation.PipelineTable t = (DropExplanation.PipelineTable) d;
    assertThat(t.bridge()).isEqualTo("br0");
    assertThat(t.table()).isEqualTo(80);
    assertThat(t.role()).isEqualTo("multitenant isolation / NetworkPolicy");
    assertThat(t.matched()).isTrue();
    assertThat(t.flow()).isEqualTo("priority 0 actions=drop");
    assertThat(d.describe())
        .isEqualTo(
            "openshift-sdn: dropped on br0 table 80 (multitenant isolation / NetworkPolicy),"
                + " by flow priority 0 actions=drop; namespace isolation (multitenant): the"
                + " source's VNID 3881420 (reg0) and the destination's VNID 12060515 (reg1) differ"
                + " and neither is the global VNID 0");
  }

  @Test
  void sdnCrossNodeIsolationDropIsOnTheDestinationNodesTable80() {
    DropExplanation.PipelineTable t =
        (DropExplanation.PipelineTable)
            explain(Cni.OPENSHIFT_SDN, "cni/sdn/cross-node-isolated-destination.trace");
    assertThat(t.table()).isEqualTo(80);
    assertThat(t.isolation()).startsWith("namespace isolation (multitenant): the source's VNID");
  }

  @Test
  void aciContractDropNamesThePolicyTableThatSentItToTheDropTable() {
    DropExplanation.PipelineTable t =
        (DropExplanation.PipelineTable) explain(Cni.ACI, "cni/aci/same-node-contract-drop.trace");
    assertThat(t.bridge()).isEqualTo("br-int");
    assertThat(t.table()).isEqualTo(15);
    assertThat(t.role()).isEqualTo("explicit drop");
    assertThat(t.decidedIn()).startsWith("table 12 (policy (EPG contracts)), priority 0");
    assertThat(t.describe()).contains("sent there by table 12 (policy (EPG contracts))");
  }

  @Test
  void allowedTracesHaveNoDrop() {
    for (String f :
        new String[] {"cni/sdn/same-node-allowed.trace", "cni/aci/same-node-allowed.trace"}) {
      assertThat(
              DropExplainer.explain(
                  CniProfiles.of(Cni.OPENSHIFT_SDN), TraceOutputParser.parse(CniFixtures.read(f))))
          .as(f)
          .isEmpty();
    }
  }

  @Test
  void ovnDropsAreLeftToTheLogicalFlowDecoding() {
    DropExplanation d = explain(Cni.OVN_KUBERNETES, "trace/policy-drop-same-node.txt");
    assertThat(d).isInstanceOf(DropExplanation.ViaOvnLogicalFlow.class);
    assertThat(((DropExplanation.ViaOvnLogicalFlow) d).cookie()).startsWith("0x");
  }
}
