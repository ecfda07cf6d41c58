package io.podpath.agent.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.podpath.agent.netns.NetnsExecutor;
import io.podpath.agent.server.AgentOptions;
import io.podpath.agent.server.AgentRuntime;
import io.podpath.proto.v1.AgentServiceGrpc;
import io.podpath.proto.v1.InspectPodRequest;
import io.podpath.proto.v1.PodInspection;
import io.podpath.proto.v1.PodRef;
import io.podpath.proto.v1.ProbeRequest;
import io.podpath.proto.v1.ProbeResult;
import io.podpath.proto.v1.Protocol;
import io.podpath.testkit.Node;
import io.podpath.testkit.Pod;
import io.podpath.testkit.Sandbox;
import io.podpath.testkit.SandboxConfig;
import io.podpath.testkit.SandboxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A pod is never mistaken for another: the pod's namespace loses its name under /var/run/netns
 * while a named look-alike (a link with the same ifindex and iflink) exists. Held by a process, the
 * pod's namespace is still found and proven (by the node's nsid of it), and Probe sends from it,
 * not from the look-alike.
 */
@ExtendWith(SandboxExtension.class)
@SandboxConfig(nodes = 1, apps = false)
class NetnsProofSandboxTest {
  static Sandbox sandbox;
  static AgentRuntime agent;
  static ManagedChannel channel;
  private String decoy;
  private String decoyHost;

  @BeforeAll
  static void up(Sandbox sb) throws Exception {
    sandbox = sb;
    Node n = sb.node("node1");
    agent =
        AgentRuntime.start(
            AgentOptions.loopback(
                n.name(), n.ovsRundir(), Optional.of(Path.of("/var/run/netns", n.netns())), 8));
    channel = NettyChannelBuilder.forAddress("127.0.0.1", agent.grpcPort()).usePlaintext().build();
  }

  @AfterAll
  static void down() {
    if (channel != null) {
      channel.shutdownNow();
    }
    if (agent != null) {
      agent.close();
    }
  }

  static AgentServiceGrpc.AgentServiceBlockingStub stub() {
    return AgentServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  Pod client() {
    return sandbox.pod("default/client-1");
  }

  /** A named namespace whose eth0 has the pod's ifindex and iflink: what other pods look like. */
  @BeforeEach
  void lookAlike() throws Exception {
    Pod p = client();
    decoy = sandbox.prefix() + "-0decoy";
    decoyHost = sandbox.prefix() + "-0decoyh";
    String hostIfindex =
        Sh.json("ip", "-n", sandbox.netns("node1"), "-j", "link", "show", p.hostInterface())
            .get(0)
            .get("ifindex")
            .asText();
    String eth0 =
        Sh.json("ip", "-n", p.netns(), "-j", "link", "show", "eth0").get(0).get("ifindex").asText();
    Sh.run("ip", "netns", "add", decoy);
    Sh.run("ip", "netns", "add", decoyHost);
    Sh.run(
        "ip",
        "-n",
        decoyHost,
        "link",
        "add",
        "dh0",
        "index",
        hostIfindex,
        "type",
        "veth",
        "peer",
        "name",
        "eth0",
        "netns",
        decoy,
        "index",
        eth0);
    Sh.run("ip", "-n", decoy, "link", "set", "eth0", "up");
  }

  @AfterEach
  void noLookAlike() throws Exception {
    Sh.run("ip", "netns", "delete", decoy);
    Sh.run("ip", "netns", "delete", decoyHost);
  }

  static InspectPodRequest inspectRequest(Pod p) {
    return InspectPodRequest.newBuilder()
        .setPod(PodRef.newBuilder().setNamespace(p.namespace()).setName(p.name()))
        .build();
  }

  static ProbeRequest pingFrom(Pod p, String dst) {
    return ProbeRequest.newBuilder()
        .setSource(PodRef.newBuilder().setNamespace(p.namespace()).setName(p.name()))
        .setDestinationIp(dst)
        .setProtocol(Protocol.PROTOCOL_ICMP)
        .setTimeoutMillis(2000)
        .build();
  }

  @Test
  void anUnnamedNamespaceHeldByAProcessIsFoundAndProven() throws Exception {
    Pod p = client();
    Pod web = sandbox.pod("default/web-1");
    Process holder = new ProcessBuilder("ip", "netns", "exec", p.netns(), "sleep", "600").start();
    try {
      Path held = Path.of("/proc", Long.toString(holder.pid()), "ns", "net");
      while (!Files.exists(held)
          || NetnsExecutor.inode(held)
              != NetnsExecutor.inode(Path.of("/var/run/netns", p.netns()))) {
        Thread.sleep(20); // until ip has entered the namespace and exec'd sleep
      }
      Sh.run("ip", "netns", "delete", p.netns());
      try {
        PodInspection i = stub().inspectPod(inspectRequest(p));
        assertThat(i.getNetns()).isNotEmpty();
        assertThat(NetnsExecutor.inode(Path.of(i.getNetns()))).isEqualTo(NetnsExecutor.inode(held));
        assertThat(i.getMac()).isEqualToIgnoringCase(p.mac());
        assertThat(i.getIpsList()).contains(p.ip());
        ProbeResult r = stub().probe(pingFrom(p, web.ip()));
        assertThat(r.getDelivered()).as(r.getDetail()).isTrue();
      } finally {
        Sh.run("ip", "netns", "attach", p.netns(), Long.toString(holder.pid()));
      }
    } finally {
      // ip may run sleep as its child: end both, so no process holds the namespace after
      holder.descendants().forEach(ProcessHandle::destroyForcibly);
      holder.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      while (holder.descendants().anyMatch(ProcessHandle::isAlive)) {
        Thread.sleep(20);
      }
    }
  }

  /**
   * The pod's namespace alive but nowhere the agent can see it (held only by a bind mount in
   * another mount namespace), the look-alike named: the agent must not guess. InspectPod says which
   * namespace it refused and why (no netns given), Probe is refused naming the look-alike, and
   * nothing leaves the look-alike's eth0.
   */
  @Test
  void anUnprovableNamespaceIsRefusedNamingTheLookAlikeAndNothingIsSent() throws Exception {
    Pod p = client();
    Pod web = sandbox.pod("default/web-1");
    Path hold = Files.createTempDirectory("podns-hold").resolve("ns");
    // holds the namespace by a bind mount in a private mount namespace; on a line from stdin it
    // enters the namespace itself (same pid), so the test can give it its name back
    Process holder =
        new ProcessBuilder(
                "unshare",
                "--mount",
                "--propagation",
                "private",
                "sh",
                "-c",
                "touch \"$1\" && mount --bind \"/var/run/netns/$2\" \"$1\" && echo held && read x"
                    + " && exec nsenter --net=\"$1\" sleep 600",
                "sh",
                hold.toString(),
                p.netns())
            .redirectErrorStream(true)
            .start();
    // the pod's own process (the sandbox's responder) would make its namespace visible: stop it
    Path responderPid = sandbox.stateDir().resolve("pods/" + p.name() + "/responder.pid");
    ProcessHandle responder =
        ProcessHandle.of(Long.parseLong(Files.readString(responderPid).strip())).orElseThrow();
    List<String> responderArgv =
        List.of(
            new String(
                    Files.readAllBytes(Path.of("/proc", responder.pid() + "", "cmdline")),
                    java.nio.charset.StandardCharsets.UTF_8)
                .split("\0"));
    responder.destroyForcibly();
    responder.onExit().get(10, TimeUnit.SECONDS);
    try {
      String first =
          new java.io.BufferedReader(
                  new java.io.InputStreamReader(
                      holder.getInputStream(), java.nio.charset.StandardCharsets.UTF_8))
              .readLine();
      assertThat(first).isEqualTo("held");
      long inode = NetnsExecutor.inode(Path.of("/var/run/netns", p.netns()));
      Sh.run("ip", "netns", "delete", p.netns());
      try {
        long txBefore = decoyTxPackets();
        PodInspection i = stub().inspectPod(inspectRequest(p));
        assertThat(i.getNetns()).as("no namespace is given as the pod's").isEmpty();
        assertThat(i.getFindingsList())
            .anySatisfy(
                f -> {
                  assertThat(f.getCode()).isEqualTo("netns-unproven");
                  assertThat(f.getMessage()).contains(decoy);
                });
        io.grpc.StatusRuntimeException e =
            org.junit.jupiter.api.Assertions.assertThrows(
                io.grpc.StatusRuntimeException.class, () -> stub().probe(pingFrom(p, web.ip())));
        assertThat(e.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.NOT_FOUND);
        assertThat(e.getStatus().getDescription())
            .contains("refusing to act in a network namespace not proven to be the pod's")
            .contains(decoy);
        assertThat(decoyTxPackets()).as("packets sent from the look-alike").isEqualTo(txBefore);
      } finally {
        holder.getOutputStream().write('\n');
        holder.getOutputStream().flush();
        while (NetnsExecutor.inode(Path.of("/proc", Long.toString(holder.pid()), "ns", "net"))
            != inode) {
          Thread.sleep(20); // until the holder has entered the pod's namespace
        }
        Sh.run("ip", "netns", "attach", p.netns(), Long.toString(holder.pid()));
      }
      ProbeResult back = stub().probe(pingFrom(p, web.ip()));
      assertThat(back.getDelivered()).as(back.getDetail()).isTrue();
    } finally {
      holder.descendants().forEach(ProcessHandle::destroyForcibly);
      holder.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      List<String> again = new java.util.ArrayList<>(List.of("ip", "netns", "exec", p.netns()));
      again.addAll(responderArgv);
      new ProcessBuilder(again)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .redirectErrorStream(true)
          .start(); // writes its own pidfile once bound, as the sandbox started it
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (Files.readString(responderPid).strip().equals(Long.toString(responder.pid()))
          && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
    }
  }

  private long decoyTxPackets() throws Exception {
    return Sh.json("ip", "-n", decoy, "-j", "-s", "link", "show", "eth0")
        .get(0)
        .get("stats64")
        .get("tx")
        .get("packets")
        .asLong();
  }
}
