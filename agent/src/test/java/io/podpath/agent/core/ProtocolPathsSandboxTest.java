package io.podpath.agent.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.podpath.agent.errors.UnavailableException;
import io.podpath.agent.exec.Command;
import io.podpath.agent.exec.ProcessCommandRunner;
import io.podpath.agent.netns.NetnsExecutor;
import io.podpath.agent.ovsdb.OvsState;
import io.podpath.agent.ovsdb.OvsdbClient;
import io.podpath.agent.ovsdb.OvsdbCondition;
import io.podpath.agent.ovsdb.OvsdbRow;
import io.podpath.agent.ovsdb.ProtocolOvsDatabase;
import io.podpath.agent.ovsdb.Remote;
import io.podpath.agent.ovsdb.VsctlOvsDatabase;
import io.podpath.agent.unixctl.AppctlUnixctl;
import io.podpath.agent.unixctl.ProtocolUnixctl;
import io.podpath.agent.unixctl.Unixctl;
import io.podpath.agent.unixctl.UnixctlException;
import io.podpath.agent.unixctl.UnixctlSockets;
import io.podpath.testkit.Node;
import io.podpath.testkit.Pod;
import io.podpath.testkit.Sandbox;
import io.podpath.testkit.SandboxConfig;
import io.podpath.testkit.SandboxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The protocol paths (OVSDB JSON-RPC, unixctl JSON-RPC) against their exec references (ovs-vsctl,
 * ovs-appctl) on a real sandbox, and the netns executor against ip -n.
 */
@ExtendWith(SandboxExtension.class)
@SandboxConfig(nodes = 3, apps = false)
class ProtocolPathsSandboxTest {
  static final Duration T = Duration.ofSeconds(10);
  static Sandbox sandbox;
  static NetnsExecutor netns;
  static ProcessCommandRunner runner;

  @BeforeAll
  static void up(Sandbox sb) {
    netns = new NetnsExecutor(2);
    runner = new ProcessCommandRunner(netns, 4);
    sandbox = sb;
  }

  @AfterAll
  static void down() throws Exception {
    runner.close();
    netns.close();
  }

  static OvsState sorted(OvsState s) {
    return new OvsState(
        s.system(),
        s.bridges().stream().sorted(Comparator.comparing(OvsState.OvsBridge::uuid)).toList(),
        s.ports().stream().sorted(Comparator.comparing(OvsState.OvsPort::uuid)).toList(),
        s.interfaces().stream().sorted(Comparator.comparing(OvsState.OvsInterface::uuid)).toList());
  }

  @Test
  void ovsdbProtocolAndOvsVsctlGiveTheSameParsedState() {
    for (Node n : sandbox.nodes()) {
      Path sock = n.ovsRundir().resolve("db.sock");
      try (OvsdbClient client = new OvsdbClient(Remote.unix(sock))) {
        OvsState viaProtocol = OvsState.read(new ProtocolOvsDatabase(client), T);
        OvsState viaExec = OvsState.read(new VsctlOvsDatabase(runner, sock), T);
        assertThat(sorted(viaProtocol)).as(n.name()).isEqualTo(sorted(viaExec));
        assertThat(viaProtocol.interfaces()).isNotEmpty();
        assertThat(client.listDbs(T)).contains("Open_vSwitch");
        assertThat(client.getSchema("Open_vSwitch", T).path("tables").has("Interface")).isTrue();
      }
    }
  }

  @Test
  void selectWithWhereAndColumnsFindsThePodInterface() {
    Pod web1 =
        sandbox.pods().stream().filter(p -> p.name().equals("web-1")).findFirst().orElseThrow();
    Path sock = sandbox.node("node1").ovsRundir().resolve("db.sock");
    try (OvsdbClient client = new OvsdbClient(Remote.unix(sock))) {
      List<OvsdbRow> rows =
          client.select(
              "Open_vSwitch",
              "Interface",
              List.of(OvsdbCondition.includes("external_ids", Map.of("iface-id", "default_web-1"))),
              List.of("name", "ofport"),
              T);
      assertThat(rows).hasSize(1);
      assertThat(rows.get(0).string("name")).isEqualTo(web1.hostInterface());
      assertThat(rows.get(0).columns().keySet())
          .containsExactlyInAnyOrder("_uuid", "name", "ofport");
      assertThat(
              client.select(
                  "Open_vSwitch",
                  "Interface",
                  List.of(OvsdbCondition.eq("name", web1.hostInterface())),
                  List.of("name"),
                  T))
          .hasSize(1);
    }
  }

  @Test
  void ovsdbOverTcpToTheOvnSouthbound() throws Exception {
    // The sandbox's central netns serves the SB on tcp:CENTRAL:6642, reachable from the root netns.
    Remote sb = Remote.parse("tcp:" + Sh.info(sandbox).get("centralIp").asText() + ":6642");
    try (OvsdbClient client = new OvsdbClient(sb)) {
      assertThat(client.listDbs(T)).contains("OVN_Southbound");
      assertThat(client.select("OVN_Southbound", "Chassis", List.of(), List.of("hostname"), T))
          .hasSize(sandbox.nodes().size());
    }
  }

  @Test
  void unixctlProtocolAndOvsAppctlAgree() {
    for (Node n : sandbox.nodes()) {
      Unixctl proto = new ProtocolUnixctl(() -> UnixctlSockets.find(n.ovsRundir(), "ovs-vswitchd"));
      Unixctl exec =
          new AppctlUnixctl(runner, () -> UnixctlSockets.find(n.ovsRundir(), "ovs-vswitchd"));
      // the datapath's hit/missed counters move between the two calls
      assertThat(counters(proto.call("dpif/show", List.of(), T)))
          .isEqualTo(counters(exec.call("dpif/show", List.of(), T)));
      assertThat(proto.call("version", List.of(), T)).isEqualTo(exec.call("version", List.of(), T));
      String port =
          sandbox.pods().stream()
              .filter(p -> p.node().equals(n.name()))
              .findFirst()
              .orElseThrow()
              .hostInterface();
      List<String> trace =
          List.of("br-int", "in_port=" + port + ",icmp,nw_src=10.244.1.3,nw_dst=10.244.1.4");
      String a = proto.call("ofproto/trace", trace, T);
      assertThat(a).contains("Datapath actions:").isEqualTo(exec.call("ofproto/trace", trace, T));
      List<String> bad = List.of("br-int", "in_port=1,udp,tp_dst=53");
      String protoErr = errorOf(() -> proto.call("ofproto/trace", bad, T));
      assertThat(protoErr)
          .isNotBlank()
          .isEqualTo(errorOf(() -> exec.call("ofproto/trace", bad, T)));
    }
  }

  @Test
  void missingControlSocketIsUnavailableNamingItOnBothPaths() {
    Path gone = Path.of("/run/podpath-sandbox/no-such-dir/ovs-vswitchd.1.ctl");
    assertThatThrownBy(() -> new ProtocolUnixctl(() -> gone).call("version", List.of(), T))
        .isInstanceOf(UnavailableException.class)
        .hasMessageContaining(gone.toString());
    assertThatThrownBy(() -> new AppctlUnixctl(runner, () -> gone).call("version", List.of(), T))
        .isInstanceOf(UnavailableException.class)
        .hasMessageContaining(gone.toString());
    assertThatThrownBy(() -> UnixctlSockets.find(Path.of("/nonexistent"), "ovs-vswitchd"))
        .isInstanceOf(UnavailableException.class)
        .hasMessageContaining("/nonexistent/ovs-vswitchd.pid");
  }

  private static String counters(String dpif) {
    return dpif.replaceAll("hit:\\d+ missed:\\d+", "hit:N missed:N");
  }

  private static String errorOf(Runnable r) {
    try {
      r.run();
    } catch (UnixctlException e) {
      return e.detail();
    }
    throw new AssertionError("no error");
  }

  @Test
  void netnsWorkersRunInsideThePodAndComeBack() throws Exception {
    long own = NetnsExecutor.inode(Path.of("/proc/self/ns/net"));
    Pod p = sandbox.pods().get(0);
    Path ns = Path.of("/var/run/netns", p.netns());
    long inside = netns.call(ns, T, NetnsExecutor::currentInode);
    assertThat(inside).isEqualTo(NetnsExecutor.inode(ns)).isNotEqualTo(own);
    // /proc/thread-self/net shows the thread's netns: the pod has eth0, we do not
    String dev = netns.call(ns, T, () -> Files.readString(Path.of("/proc/thread-self/net/dev")));
    assertThat(dev).contains("eth0:");
    // a command started from the worker runs in the pod: same answer as ip -n
    String viaWorker =
        runner.check(Command.of("ip", "-j", "link", "show").inNetns(Optional.of(ns))).stdout();
    assertThat(viaWorker).isEqualTo(Sh.run("ip", "-n", p.netns(), "-j", "link", "show"));
    // after many calls from many threads, every worker is back home and still serving
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<Future<Long>> fs = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      Path target =
          Path.of("/var/run/netns", sandbox.pods().get(i % sandbox.pods().size()).netns());
      fs.add(pool.submit(() -> netns.call(target, T, NetnsExecutor::currentInode)));
    }
    for (int i = 0; i < fs.size(); i++) {
      Path target =
          Path.of("/var/run/netns", sandbox.pods().get(i % sandbox.pods().size()).netns());
      assertThat(fs.get(i).get()).isEqualTo(NetnsExecutor.inode(target));
    }
    pool.shutdown();
    assertThat(netns.aliveWorkers()).isEqualTo(2);
    assertThat(NetnsExecutor.currentInode()).isEqualTo(own);
    assertThatThrownBy(() -> netns.call(Path.of("/var/run/netns/ac-no-such"), T, () -> 1))
        .isInstanceOf(UnavailableException.class)
        .hasMessageContaining("/var/run/netns/ac-no-such");
  }
}
