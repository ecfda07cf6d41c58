package io.podpath.agent.ip;

import static org.assertj.core.api.Assertions.assertThat;

import io.podpath.agent.netns.NetnsExecutor;
import io.podpath.testkit.Fault;
import io.podpath.testkit.IpFamily;
import io.podpath.testkit.Node;
import io.podpath.testkit.Pod;
import io.podpath.testkit.Sandbox;
import io.podpath.testkit.SandboxConfig;
import io.podpath.testkit.SandboxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * IpNetlink against iproute2 on the same namespaces: every pod, every node (OVS bridges, veths,
 * tunnels' routes) and a pod whose eth0 is down give what {@code ip -j addr show} and {@code ip -j
 * -4|-6 route show} give, field by field (all but the counters and a veth's peer, which it leaves
 * out).
 */
@ExtendWith(SandboxExtension.class)
@SandboxConfig(apps = false, ipFamily = IpFamily.DUAL)
class IpNetlinkSandboxTest {
  static Sandbox sandbox;
  static NetnsExecutor netns;

  @BeforeAll
  static void start(Sandbox s) {
    sandbox = s;
    netns = new NetnsExecutor(1);
  }

  @AfterAll
  static void stop() {
    netns.close();
  }

  @Test
  void everyPodAndNodeReadsAsIpReadsIt() {
    for (Pod p : sandbox.pods()) {
      assertSame(p.namespace() + "/" + p.name(), p.netns());
    }
    for (Node n : sandbox.nodes()) {
      assertSame(n.name(), n.netns());
    }
  }

  @Test
  void aPodWhoseEth0IsDownReadsAsIpReadsIt() {
    sandbox.breakFault(Fault.ETH0_DOWN, "node2");
    try {
      Pod web2 =
          sandbox.pods().stream().filter(p -> p.name().equals("web-2")).findFirst().orElseThrow();
      IpNetlink.Stack s = assertSame("default/web-2", web2.netns());
      assertThat(IpLink.named(s.links(), "eth0").orElseThrow().flags()).doesNotContain("UP");
    } finally {
      sandbox.fix(Fault.ETH0_DOWN, "node2");
    }
  }

  private static IpNetlink.Stack assertSame(String target, String netnsName) {
    IpNetlink.Stack got =
        netns.call(Path.of("/var/run/netns", netnsName), Duration.ofSeconds(10), IpNetlink::read);
    List<IpLink> want = IpJson.links(sandbox.exec(target, "ip", "-j", "addr", "show").stdout());
    List<IpRoute> routes =
        IpJson.routes(sandbox.exec(target, "ip", "-j", "-4", "route", "show").stdout());
    List<IpRoute> routes6 =
        IpJson.routes(sandbox.exec(target, "ip", "-j", "-6", "route", "show").stdout());
    assertThat(got.links()).as(target + " links").hasSameSizeAs(want);
    for (IpLink w : want) {
      IpLink g = IpLink.named(got.links(), w.name()).orElseThrow();
      assertThat(g)
          .as(target + " " + w.name())
          .usingRecursiveComparison()
          .ignoringFields("linkIndex", "linkNetnsid", "rx", "tx")
          .isEqualTo(w);
    }
    assertThat(got.routes()).as(target + " routes").isEqualTo(routes);
    assertThat(got.routes6()).as(target + " IPv6 routes").isEqualTo(routes6);
    return got;
  }
}
