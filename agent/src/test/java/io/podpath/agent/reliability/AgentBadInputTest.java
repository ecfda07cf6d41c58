package io.podpath.agent.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.StatusRuntimeException;
import io.podpath.proto.v1.ClusterContext;
import io.podpath.proto.v1.GetNodeRequest;
import io.podpath.proto.v1.LocalPod;
import io.podpath.proto.v1.NodeInfo;
import io.podpath.proto.v1.PeerNode;
import io.podpath.proto.v1.RunChecksRequest;
import io.podpath.proto.v1.ServiceInfo;
import io.podpath.proto.v1.ServiceRef;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input against the agent's real gRPC service (real validators and handlers) over the
 * in-process transport. Each case: the exact status code, the field named at the start of the
 * message, nothing started (no command, no OVSDB read, no unixctl call — through the recording
 * command runner, database and unixctl), and a valid GetNode answering right after.
 */
class AgentBadInputTest {
  static RecordingAgent agent;

  @BeforeAll
  static void start() throws Exception {
    agent = new RecordingAgent();
  }

  @AfterAll
  static void stop() {
    agent.close();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource({
    "io.podpath.agent.reliability.BadRequests#cases",
    "io.podpath.agent.reliability.BadTraceRequests#cases"
  })
  void rejectedNamingTheFieldNothingStartedStillServing(BadRequests.Case c) {
    agent.drain();
    StatusRuntimeException e = fails(() -> c.call().accept(agent.stub()));
    assertThat(e.getStatus().getCode()).as(c.name()).isEqualTo(c.code());
    assertThat(e.getStatus().getDescription()).as(c.name()).startsWith(c.field() + ":");
    // The message travels as an HTTP/2 trailer (Netty's limit: 8-10 KiB): never echo it all.
    assertThat(e.getStatus().getDescription().length()).as(c.name()).isLessThan(2048);
    assertThat(agent.drain()).as("commands/OVSDB/unixctl started by " + c.name()).isEmpty();
    assertServing();
  }

  /** A valid GetNode answers (and really goes through the recorded runner: positive control). */
  static void assertServing() {
    NodeInfo n = agent.stub().getNode(GetNodeRequest.getDefaultInstance());
    assertThat(n.getNodeName()).isEqualTo("node1");
    assertThat(n.getOvsVersion()).isEqualTo("3.1.0");
    assertThat(agent.drain()).contains("exec ip -j addr show", "ovsdb Open_vSwitch");
  }

  /**
   * Cluster facts from the aggregator are data, not validated input: hostile values there must
   * never reach a command line. Every check runs (against recorded, failing tools) and no argv
   * carries any of them.
   */
  @Test
  void hostileClusterContextNeverReachesACommandLine() {
    List<String> evil = List.of("$(reboot)", "; rm -rf /", "../../etc/shadow", "`id`", "|nc");
    ClusterContext.Builder ctx =
        ClusterContext.newBuilder().setDnsServiceIp(evil.get(0) + "10.96.0.10");
    for (String e : evil) {
      ctx.addPeers(PeerNode.newBuilder().setName("node" + e).setEncapIp("172.31.7.12" + e));
      ctx.addServices(
          ServiceInfo.newBuilder()
              .setService(ServiceRef.newBuilder().setNamespace(e).setName(e))
              .addClusterIps("10.96.0.10" + e));
      ctx.addLocalPods(
          LocalPod.newBuilder().setPod(BadRequests.pod(e, e)).addIps("10.244.1.3" + e));
    }
    agent.drain();
    var report = agent.stub().runChecks(RunChecksRequest.newBuilder().setContext(ctx).build());
    assertThat(report.getResultsCount()).isGreaterThan(5);
    for (List<String> argv : agent.commands) {
      for (String arg : argv) {
        for (String e : evil) {
          assertThat(arg).as("argv " + argv).doesNotContain(e);
        }
      }
    }
    agent.drain();
    assertServing();
  }

  static StatusRuntimeException fails(Runnable call) {
    try {
      call.run();
    } catch (StatusRuntimeException e) {
      return e;
    }
    throw new AssertionError("call succeeded");
  }
}
