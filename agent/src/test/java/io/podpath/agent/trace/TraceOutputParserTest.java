package io.podpath.agent.trace;

import static io.podpath.agent.trace.TraceFixtures.read;
import static io.podpath.agent.trace.TraceFixtures.why;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TraceOutputParserTest {

  @Test
  void sameNodeTraceHasThreePassesThroughConntrack() {
    String f = "same-node-tcp.txt";
    ParsedTrace t = TraceOutputParser.parse(read(f));
    assertThat(t.bridge()).as(why(f)).isEqualTo("br-int");
    assertThat(t.passes()).as(why(f)).hasSize(3);
    assertThat(t.passes().get(1).recircId()).as(why(f)).startsWith("0x");
    assertThat(t.passes().get(1).resumeNote()).as(why(f)).contains("ct_state=trk|new");
    assertThat(t.flow()).as(why(f)).startsWith("tcp,in_port=");
    TraceStep first = t.steps().get(0);
    assertThat(first.table()).as(why(f)).isZero();
    assertThat(first.priority()).as(why(f)).isEqualTo(100);
    assertThat(first.cookie()).as(why(f)).matches("0x[0-9a-f]+");
    assertThat(first.match()).as(why(f)).startsWith("in_port=");
    assertThat(first.actions()).as(why(f)).contains("resubmit(,8)");
    assertThat(t.steps()).as(why(f)).anySatisfy(s -> assertThat(s.matched()).isFalse());
    assertThat(t.steps()).as(why(f)).anySatisfy(s -> assertThat(s.depth()).isEqualTo(1));
    assertThat(t.steps().get(t.steps().size() - 1).recirculation()).as(why(f)).isEqualTo(2);
    assertThat(t.lastPass().orElseThrow().datapathActions())
        .as(why(f))
        .matches("ct\\(commit.*\\),\\d+");
    assertThat(t.finalFlow()).as(why(f)).contains("reg15=");
    assertThat(t.findings()).as(why(f)).isEmpty();
  }

  @Test
  void crossNodeTraceShowsTheTunnelAndTheNestedUnderlayBridge() {
    String f = "cross-node-tcp.txt";
    ParsedTrace t = TraceOutputParser.parse(read(f));
    assertThat(t.steps())
        .as(why(f))
        .anySatisfy(s -> assertThat(s.notes()).contains("-> output to native tunnel"));
    assertThat(t.steps()).as(why(f)).anySatisfy(s -> assertThat(s.bridge()).isEqualTo("br-phy"));
    // after the nested br-phy section, lookups belong to br-int again
    TraceStep last = t.steps().get(t.steps().size() - 1);
    assertThat(last.bridge()).as(why(f)).isEqualTo("br-int");
    assertThat(t.lastPass().orElseThrow().datapathActions()).as(why(f)).contains("tnl_push(");
    assertThat(t.findings()).as(why(f)).isEmpty();
  }

  @Test
  void errorNotesBecomeFindings() {
    String f = "ovs-mode-tunnel.txt";
    ParsedTrace t = TraceOutputParser.parse(read(f));
    assertThat(t.bridge()).as(why(f)).isEqualTo("br-trfx");
    assertThat(t.steps().get(0).cookie()).as(why(f)).isEmpty();
    assertThat(t.steps().get(0).actions()).as(why(f)).contains("output:20");
    assertThat(t.findings()).as(why(f)).noneMatch(x -> x.code().equals("trace-unparsed-line"));
  }

  @Test
  void finalFlowUnchangedMeansTheInputFlow() {
    String f = "ovs-mode-drop.txt";
    ParsedTrace t = TraceOutputParser.parse(read(f));
    assertThat(t.finalFlow()).as(why(f)).isEqualTo(t.flow());
    assertThat(t.lastPass().orElseThrow().datapathActions()).as(why(f)).isEqualTo("drop");
    assertThat(t.steps().get(0).drops()).as(why(f)).isTrue();
  }

  @Test
  void aRejectedFlowIsAFindingNotAnException() {
    String f = "bad-flow.txt";
    ParsedTrace t = TraceOutputParser.parse(read(f));
    assertThat(t.passes()).as(why(f)).isEmpty();
    assertThat(t.findings()).as(why(f)).anyMatch(x -> x.code().equals("trace-no-flow"));
  }

  @Test
  void weirdInputNeverThrows() {
    for (String s :
        new String[] {
          "",
          "\n\n",
          "Flow: x",
          "Flow: a\n 99999999999. priority x",
          "Flow: a\n 1. m, priority 99999999999",
          "    orphan action",
          "Final flow: unchanged",
          "Datapath actions: tnl_push(",
          "recirc(0x1) - x\nFlow: y\n  bridge(\"b\")\n1. priority 1, cookie 0xzz"
        }) {
      ParsedTrace t = TraceOutputParser.parse(s);
      assertThat(t).isNotNull();
      DatapathActionsParser.parse(t.datapathActions());
    }
    assertThat(DatapathActionsParser.parse("tnl_push(tnl_port(x),header(geneve(vni=zz)))"))
        .hasSize(1);
  }
}
