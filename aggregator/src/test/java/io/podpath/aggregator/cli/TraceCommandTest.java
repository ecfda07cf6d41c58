package io.podpath.aggregator.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.podpath.proto.v1.TraceRequest;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/** How {@code podpath trace}'s arguments become the Trace request (no aggregator needed). */
class TraceCommandTest {

  private static TraceRequest request(String... args) {
    CommandLine cl = Commands.commandLine();
    String[] all = new String[args.length + 3];
    all[0] = "-n";
    all[1] = "default";
    all[2] = "trace";
    System.arraycopy(args, 0, all, 3, args.length);
    CommandLine.ParseResult parsed = cl.parseArgs(all);
    TraceCommand trace = (TraceCommand) parsed.subcommand().commandSpec().userObject();
    return trace.request();
  }

  @Test
  void aSmallPacketWithDontFragmentByDefault() {
    TraceRequest r = request("client-1", "web-2", "--dst-port", "80");
    assertThat(r.getSize()).isZero();
    assertThat(r.getAllowFragmentation()).isFalse();
    assertThat(r.getIngressNode()).isEmpty();
    assertThat(r.getIncludeConntrackEntries()).isFalse();
  }

  @Test
  void sizeDfAndVerboseReachTheRequest() {
    TraceRequest r = request("client-1", "web-2", "--icmp", "--size", "1500", "--no-df", "-v");
    assertThat(r.getSize()).isEqualTo(1500);
    assertThat(r.getAllowFragmentation()).isTrue();
    assertThat(r.getIncludeConntrackEntries()).isTrue();
    assertThat(r.getIncludeRaw()).isTrue();
    assertThat(request("client-1", "web-2", "--df").getAllowFragmentation()).isFalse();
  }

  @Test
  void nodeEndpoints() {
    TraceRequest r = request("node/node1", "node/node2:30080", "--tcp");
    assertThat(r.getSource().getNode().getName()).isEqualTo("node1");
    assertThat(r.getSource().getNode().getPort()).isZero();
    assertThat(r.getDestination().getNode().getName()).isEqualTo("node2");
    assertThat(r.getDestination().getNode().getPort()).isEqualTo(30080);
  }

  @Test
  void anExternalSourceEntersAtTheNamedNode() {
    TraceRequest r = request("ip:203.0.113.7", "node/node2:30080", "--ingress-node", "node2");
    assertThat(r.getSource().getIp()).isEqualTo("203.0.113.7");
    assertThat(r.getIngressNode()).isEqualTo("node2");
  }

  @Test
  void allowExternalGoesWithLiveOnly() {
    TraceRequest r = request("client-1", "ip:192.0.2.9", "--udp", "--live", "--allow-external");
    assertThat(r.getLive()).isTrue();
    assertThat(r.getAllowExternal()).isTrue();
    assertThat(request("client-1", "ip:192.0.2.9", "--udp", "--live").getAllowExternal()).isFalse();
    assertThatThrownBy(() -> request("client-1", "ip:192.0.2.9", "--allow-external"))
        .isInstanceOf(ParameterException.class)
        .hasMessage("--allow-external applies with --live only");
  }

  @Test
  void countGoesWithLiveOnlyAndStaysABurst() {
    assertThat(request("client-1", "web-2", "--udp", "--live", "--count", "4").getLiveCount())
        .isEqualTo(4);
    assertThat(request("client-1", "web-2", "--udp", "--live").getLiveCount()).isZero();
    assertThatThrownBy(() -> request("client-1", "web-2", "--count", "3"))
        .isInstanceOf(ParameterException.class)
        .hasMessage("--count applies with --live only");
    assertThatThrownBy(() -> request("client-1", "web-2", "--live", "--count", "11"))
        .isInstanceOf(ParameterException.class)
        .hasMessage("--count 11 is not 1-10 (real exchanges per live trace)");
    assertThatThrownBy(() -> request("client-1", "web-2", "--live", "--count", "0"))
        .isInstanceOf(ParameterException.class)
        .hasMessageStartingWith("--count 0 is not 1-10");
  }

  @Test
  void familyPicksTheAddressFamily() {
    assertThat(request("client-1", "web-2").getIpFamily()).isZero();
    assertThat(request("client-1", "web-2", "--family", "6").getIpFamily()).isEqualTo(6);
    assertThat(request("client-1", "svc/web", "--family", "4").getIpFamily()).isEqualTo(4);
    assertThatThrownBy(() -> request("client-1", "web-2", "--family", "5"))
        .isInstanceOf(ParameterException.class)
        .hasMessage("--family must be 4 or 6, not 5");
  }

  @Test
  void badValuesNameTheOption() {
    assertThatThrownBy(() -> request("client-1", "web-2", "--size", "40"))
        .isInstanceOf(ParameterException.class)
        .hasMessageStartingWith("--size 40 is not in 68-65535");
    assertThatThrownBy(() -> request("client-1", "web-2", "--size", "70000"))
        .isInstanceOf(ParameterException.class)
        .hasMessageStartingWith("--size 70000 is not in 68-65535");
    assertThatThrownBy(() -> request("client-1", "web-2", "--ingress-node", "node2"))
        .isInstanceOf(ParameterException.class)
        .hasMessage("--ingress-node applies to SRC ip:ADDRESS only, not client-1");
    assertThatThrownBy(() -> request("node/node1:30080", "web-2"))
        .isInstanceOf(ParameterException.class)
        .hasMessageContaining("a NodePort is a destination only");
    assertThatThrownBy(() -> request("client-1", "node/node2:0"))
        .isInstanceOf(ParameterException.class)
        .hasMessageContaining("NodePort '0' is not in 1-65535");
    assertThatThrownBy(() -> request("client-1", "node/Node_2"))
        .isInstanceOf(ParameterException.class)
        .hasMessageContaining("node name 'Node_2' is not a DNS-1123 subdomain");
  }
}
