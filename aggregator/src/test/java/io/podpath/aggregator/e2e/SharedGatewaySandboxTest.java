package io.podpath.aggregator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.podpath.aggregator.testing.SandboxAggregator;
import io.podpath.testkit.Conntrack;
import io.podpath.testkit.Fault;
import io.podpath.testkit.Probe;
import io.podpath.testkit.ProbeResult;
import io.podpath.testkit.Sandbox;
import io.podpath.testkit.SandboxConfig;
import io.podpath.testkit.SandboxExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * OVN-Kubernetes' shared gateway ({@code hack/sandbox up --gateway-mode shared}): pod egress leaves
 * through the node's gateway router and breth0, never the node kernel's FORWARD path. Each row's
 * verdict against real packets ({@code hack/sandbox probe}).
 */
@ExtendWith(SandboxExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@SandboxConfig(nodes = 2, sharedGateway = true)
class SharedGatewaySandboxTest {
  private Sandbox sb;
  private SandboxAggregator aggregator;

  @BeforeAll
  void start(Sandbox sandbox) {
    sb = sandbox;
    aggregator = SandboxAggregator.start(sandbox);
  }

  @AfterAll
  void stop() {
    if (aggregator != null) {
      aggregator.close();
    }
  }

  private TraceMatrix.Traced trace(SandboxAggregator agg, String src, String dst, String... opts)
      throws Exception {
    List<String> args = new ArrayList<>(List.of("--aggregator", agg.address(), "trace", src, dst));
    args.addAll(List.of(opts));
    String[] base = args.toArray(String[]::new);
    MatrixCli.Run json = MatrixCli.cli(MatrixCli.concat(base, "-o", "json"));
    MatrixCli.Run text = MatrixCli.cli(base);
    assertThat(json.exit()).as("podpath trace %s %s: %s", src, dst, json.err()).isIn(0, 1);
    return new TraceMatrix.Traced(
        json.exit(), MatrixCli.JSON.readTree(json.out()), text.out() + text.err());
  }

  /**
   * pod → ext and its reply: out of node1's gateway router with the node IP as source, no kernel
   * hop on the way; then the same with ip_forward=0 on node1, which shared mode does not need.
   */
  @Test
  void podToExtLeavesThroughTheGatewayRouterEvenWithoutIpForward() throws Exception {
    String pod = "default/client-1";
    String nodeIp = sb.nodeIp("node1");
    for (boolean noForward : List.of(false, true)) {
      if (noForward) {
        sb.breakFault(Fault.IP_FORWARD, "node1");
      }
      try {
        for (Probe p : List.of(Probe.tcp(80), Probe.icmp())) {
          // the connection first: its reply is traced as established, through GR, which learnt
          // ext's MAC from the forward's ARP
          ProbeResult real = sb.probe(pod, "ext", p);
          TraceMatrix.Traced t =
              trace(aggregator, pod, "ip:" + sb.externalIp(), TraceMatrix.opts(p));
          String row = pod + " -> ext " + p.protocol() + (noForward ? " (ip_forward=0)" : "");
          assertThat(real.delivered()).as(row + ": real packets: " + real.reason()).isTrue();
          assertThat(t.forward()).as(row + "\n" + t.text()).isEqualTo("LEFT_CLUSTER");
          assertThat(t.reply()).as(row + "\n" + t.text()).isEqualTo("DELIVERED");
          assertThat(t.exit()).as(row + "\n" + t.text()).isZero();
          assertThat(t.text()).as(row).contains("with source " + nodeIp + " (SNAT in OVS");
          for (JsonNode n : t.first().path("forward").path("nodes")) {
            assertThat(n.has("kernel")).as(row + ": a kernel hop\n" + t.text()).isFalse();
          }
          Conntrack.flush(sb);
        }
      } finally {
        if (noForward) {
          sb.fix(Fault.IP_FORWARD, "node1");
        }
      }
    }
  }

  /**
   * ext → a NodePort of svc default/web: breth0 sends it by the patch to GR_nodeI, whose load
   * balancer (a select group in br-int) DNATs it to web-1 or web-2, on the ingress node or through
   * join, ovn_cluster_router and the tunnel on the other, and forces SNAT to GR's join address: the
   * forward's SNAT must be the one node's datapath conntrack shows for the real connection. Each
   * endpoint's trace against the real packets: TCP probes until both pods answered (the reply names
   * the pod), UDP probes from several source ports (the echo does not name it, so every endpoint
   * must work).
   */
  @Test
  void nodePortFromExtReachesEveryEndpointThroughTheGatewayRouter() throws Exception {
    sb.nodePort(true);
    List<String> wrong = new ArrayList<>();
    try (SandboxAggregator withNodePorts = SandboxAggregator.start(sb)) {
      for (String node : List.of("node1", "node2")) {
        for (Probe p : List.of(Probe.tcp(Sandbox.NODEPORT_TCP), Probe.udp(Sandbox.NODEPORT_UDP))) {
          String row = "ext -> node/" + node + ":" + p.port() + " " + p.protocol();
          TraceMatrix.Traced t =
              trace(
                  withNodePorts,
                  "ip:" + sb.externalIp(),
                  "node/" + node + ":" + p.port(),
                  TraceMatrix.opts(p)[0]);
          Set<String> answered = new TreeSet<>();
          boolean allDelivered = true;
          for (int i = 0; i < 16 && answered.size() < 2; i++) {
            ProbeResult real = sb.probe("ext", node, p);
            allDelivered &= real.delivered();
            answered.add(real.delivered() ? real.reply().replaceFirst("^podpath ", "") : "");
            if (p.protocol() != Probe.Protocol.TCP && i == 3) {
              break;
            }
          }
          // how node's datapath really NATed each connection: orig ext -> pod, reply pod -> X
          String ct = Conntrack.dump(sb, node);
          JsonNode eps = t.json().path("endpoints");
          if (eps.size() != 2) {
            wrong.add(row + ": not one trace per endpoint\n" + t.text());
          }
          for (JsonNode e : eps) {
            String pod = e.path("endpoint").asText().replaceFirst("^.* -> (\\S+) .*$", "$1");
            JsonNode fwd = e.path("forward");
            JsonNode reply = e.path("reply");
            JsonNode hops = fwd.path("nodes");
            boolean local = hops.path(hops.size() - 1).path("node").asText().equals(node);
            boolean reached =
                p.protocol() == Probe.Protocol.TCP ? answered.contains(pod) : allDelivered;
            String to =
                String.format("%s to %s (answered by %s)%n%s", row, pod, answered, t.text());
            if (fwd.path("verdict").asText().equals("DELIVERED") != reached) {
              wrong.add(
                  "forward " + fwd.path("verdict").asText() + ", real " + reached + ": " + to);
            }
            String snat = forcedSnat(fwd, node);
            Matcher real =
                Pattern.compile(
                        "orig=\\(src="
                            + Pattern.quote(sb.externalIp())
                            + ",dst="
                            + Pattern.quote(e.path("ip").asText())
                            + ",[^)]*\\),reply=\\(src=[^,]+,dst=([^,]+),")
                    .matcher(ct);
            // the forward's SNAT at GR_node against the real connection's (when it reached the pod;
            // TCP probes reach every pod). A connection has an entry per conntrack zone it was
            // committed in, and the dump's order is the hash table's: the pod sees the SNATed
            // address if any zone SNATed it, and ext's own only if none did
            Set<String> replyTo = new TreeSet<>();
            while (real.find()) {
              replyTo.add(real.group(1));
            }
            System.out.println(
                row + " " + pod + ": replies in " + node + "'s conntrack go to " + replyTo);
            if (replyTo.isEmpty() && reached && p.protocol() == Probe.Protocol.TCP) {
              wrong.add("no connection to the pod in " + node + "'s conntrack: " + to + "\n" + ct);
            }
            boolean agrees =
                snat.isEmpty()
                    ? replyTo.stream().allMatch(a -> a.equals(sb.externalIp()))
                    : replyTo.contains(snat);
            if (!replyTo.isEmpty() && !agrees) {
              wrong.add(
                  "forward SNAT "
                      + (snat.isEmpty() ? "none" : snat)
                      + ", real packets' replies go to "
                      + replyTo
                      + ": "
                      + to
                      + "\n"
                      + ct);
            }
            boolean replyLeaves =
                reply.path("verdict").asText().equals("LEFT_CLUSTER")
                    && reply.path("leftVia").asText().startsWith(node + " ");
            if (local && replyLeaves != reached) {
              wrong.add(
                  "reply " + reply.path("verdict").asText() + ", real " + reached + ": " + to);
            }
            // The pod answers GR's join address (the forced SNAT above), so the real reply returns
            // through GR_nodeI; podpath still traces it from the pod to ext's address, which from
            // the other node leaves by that node's GR, and makes no claim there (docs/trace.md).
            if (!local
                && !(reply.path("verdict").asText().equals("INCONCLUSIVE")
                    && reply.path("reason").asText().contains("asymmetric path"))) {
              wrong.add("the other node's reply is claimed: " + to);
            }
          }
          Conntrack.flush(sb);
        }
      }
    } finally {
      sb.nodePort(false);
      sb.reload();
    }
    assertThat(wrong).as("NodePort rows where podpath and real packets disagree").isEmpty();
  }

  /**
   * The address the forward trace says GR_{@code node}'s load balancer SNATs the packet to (the
   * agent's finding lb-force-snat on that node), or "" when it says none.
   */
  private static String forcedSnat(JsonNode forward, String node) {
    for (JsonNode n : forward.path("nodes")) {
      for (JsonNode f : n.path("findings")) {
        Matcher m =
            Pattern.compile("SNATs the packet to (\\S+) as it leaves")
                .matcher(f.path("message").asText());
        if (n.path("node").asText().equals(node)
            && f.path("code").asText().equals("lb-force-snat")
            && m.find()) {
          return m.group(1);
        }
      }
    }
    return "";
  }

  /**
   * Cross-node pod ↔ pod: on the userspace datapath the Geneve packet is routed by the underlay
   * address on breth0, so ofproto/trace shows it crossing breth0 to the NIC after the push; that is
   * the tunnel's way out, and the trace is DELIVERED both ways as the real packets are.
   */
  @Test
  void crossNodePodToPodIsDeliveredThroughTheTunnel() throws Exception {
    for (String[] pair :
        List.of(
            new String[] {"default/client-1", "default/web-2"},
            new String[] {"default/client-2", "default/web-1"})) {
      for (Probe p : List.of(Probe.tcp(80), Probe.icmp())) {
        ProbeResult real = sb.probe(pair[0], pair[1], p);
        TraceMatrix.Traced t = trace(aggregator, pair[0], pair[1], TraceMatrix.opts(p));
        String row = pair[0] + " -> " + pair[1] + " " + p.protocol();
        assertThat(real.delivered()).as(row + ": real packets: " + real.reason()).isTrue();
        assertThat(t.forward()).as(row + "\n" + t.text()).isEqualTo("DELIVERED");
        assertThat(t.reply()).as(row + "\n" + t.text()).isEqualTo("DELIVERED");
        assertThat(t.exit()).as(row + "\n" + t.text()).isZero();
        Conntrack.flush(sb);
      }
    }
  }
}
