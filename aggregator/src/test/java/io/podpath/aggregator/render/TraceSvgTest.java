package io.podpath.aggregator.render;

import static org.assertj.core.api.Assertions.assertThat;

import io.podpath.proto.v1.DirectionTrace;
import io.podpath.proto.v1.DropInfo;
import io.podpath.proto.v1.EndpointTrace;
import io.podpath.proto.v1.NetworkPolicyRef;
import io.podpath.proto.v1.NodeObservation;
import io.podpath.proto.v1.NodeTrace;
import io.podpath.proto.v1.TraceOutcome;
import io.podpath.proto.v1.TraceResult;
import io.podpath.proto.v1.TunnelOutput;
import io.podpath.proto.v1.Verdict;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

class TraceSvgTest {
  static NodeObservation tunnelHop(String node) {
    return NodeObservation.newBuilder()
        .setNode(node)
        .setRole(NodeObservation.Role.ROLE_SOURCE)
        .setTrace(
            NodeTrace.newBuilder()
                .setFlow("in_port=4,tcp")
                .setOutcome(
                    TraceOutcome.newBuilder()
                        .setKind(TraceOutcome.Kind.KIND_TUNNEL)
                        .setTunnel(
                            TunnelOutput.newBuilder()
                                .setType("geneve")
                                .setVni(3)
                                .setLocalIp("172.31.9.11")
                                .setRemoteIp("172.31.9.12"))))
        .build();
  }

  static NodeObservation dropHop(String node) {
    DropInfo drop =
        DropInfo.newBuilder()
            .setTable(46)
            .setCookie("0xa95058e9")
            .setNetworkPolicy(
                NetworkPolicyRef.newBuilder()
                    .setNamespace("default")
                    .setName("deny-ingress-web-2")
                    .setDirection(NetworkPolicyRef.Direction.DIRECTION_INGRESS))
            .build();
    return NodeObservation.newBuilder()
        .setNode(node)
        .setRole(NodeObservation.Role.ROLE_DESTINATION)
        .setTrace(
            NodeTrace.newBuilder()
                .setFlow("in_port=2,tun_id=0x3,tcp")
                .setOutcome(
                    TraceOutcome.newBuilder()
                        .setKind(TraceOutcome.Kind.KIND_DROPPED)
                        .setDrop(drop)))
        .build();
  }

  static EndpointTrace endpoint(int i, boolean dropped) {
    DirectionTrace.Builder fwd =
        DirectionTrace.newBuilder()
            .setVerdict(dropped ? Verdict.VERDICT_DROPPED : Verdict.VERDICT_DELIVERED)
            .setSummary("forward <summary> & more")
            .addNodes(tunnelHop("node1"))
            .addNodes(dropped ? dropHop("node" + (i + 2)) : tunnelHop("node" + (i + 2)));
    if (dropped) {
      fwd.setDroppedNode("node" + (i + 2));
    }
    DirectionTrace reply =
        DirectionTrace.newBuilder()
            .setVerdict(Verdict.VERDICT_DELIVERED)
            .setSummary("reply")
            .addNodes(tunnelHop("node" + (i + 2)))
            .build();
    return EndpointTrace.newBuilder()
        .setEndpoint("default/web-" + i + " 10.244." + i + ".3:80")
        .setForward(fwd)
        .setReply(reply)
        .build();
  }

  static Document parse(String svg) throws Exception {
    return DocumentBuilderFactory.newInstance()
        .newDocumentBuilder()
        .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void dropIsDrawnWithTableFlowAndPolicyForwardAboveReply() throws Exception {
    TraceResult r =
        TraceResult.newBuilder()
            .setSource("default/client-1")
            .setDestination("default/web-2")
            .addEndpoints(endpoint(0, true))
            .build();
    String svg = TraceRenderer.render(r, OutputFormat.svg, false, Style.PLAIN);
    Document doc = parse(svg); // well-formed XML, text escaped
    assertThat(svg)
        .contains("policy default/deny-ingress-web-2")
        .contains("dropped in table 46")
        .contains("flow cookie 0xa95058e9")
        .contains("vni 0x3")
        .contains("forward &lt;summary&gt; &amp; more")
        .doesNotContain("<style")
        .doesNotContain("style=");
    assertThat(svg.indexOf("data-direction=\"forward\""))
        .isLessThan(svg.indexOf("data-direction=\"reply\""));
    var groups = doc.getElementsByTagName("g");
    double forwardY = -1;
    double replyY = -1;
    for (int i = 0; i < groups.getLength(); i++) {
      Element g = (Element) groups.item(i);
      Element firstText = (Element) g.getElementsByTagName("text").item(0);
      double y = Double.parseDouble(firstText.getAttribute("y"));
      if (g.getAttribute("data-direction").equals("forward")) {
        forwardY = y;
      } else if (g.getAttribute("data-direction").equals("reply")) {
        replyY = y;
      }
    }
    assertThat(forwardY).isPositive().isLessThan(replyY);
    assertThat(svg).contains("class=\"node dropped\" data-node=\"node2\"");
  }

  @Test
  void aServiceWithManyEndpointsWrapsInsteadOfGrowingWide() throws Exception {
    TraceResult.Builder r = TraceResult.newBuilder().setSource("a/b").setDestination("svc/a/web");
    for (int i = 0; i < 40; i++) {
      r.addEndpoints(endpoint(i, i == 7));
    }
    Document doc = parse(TraceSvg.render(r.build()));
    int width = Integer.parseInt(doc.getDocumentElement().getAttribute("width"));
    assertThat(width).isLessThanOrEqualTo(TraceSvg.MAX_WIDTH + 2 * TraceSvg.GUTTER);
    var groups = doc.getElementsByTagName("g");
    int endpoints = 0;
    for (int i = 0; i < groups.getLength(); i++) {
      if (((Element) groups.item(i)).getAttribute("class").equals("endpoint")) {
        endpoints++;
      }
    }
    assertThat(endpoints).isEqualTo(40);
  }
}
