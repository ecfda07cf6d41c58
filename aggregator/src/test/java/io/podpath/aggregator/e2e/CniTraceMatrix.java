package io.podpath.aggregator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.podpath.aggregator.testing.SandboxAggregator;
import io.podpath.testkit.Conntrack;
import io.podpath.testkit.Probe;
import io.podpath.testkit.ProbeResult;
import io.podpath.testkit.Sandbox;
import io.podpath.testkit.SandboxExtension;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What every CNI mode's real-packet matrix shares: one aggregator on the class's sandbox, a trace
 * through the CLI (JSON for the verdicts, text for the reader), and one row compared with {@code
 * hack/sandbox probe} on the same endpoints. Subclasses name the mode ({@code @SandboxConfig}).
 */
@ExtendWith(SandboxExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class CniTraceMatrix {
  Sandbox sb;
  SandboxAggregator aggregator;

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

  record Traced(int exit, JsonNode json, String text) {
    JsonNode first() {
      return json.path("endpoints").path(0);
    }

    String verdict(String direction) {
      return first().path(direction).path("verdict").asText();
    }

    boolean bothDelivered() {
      return verdict("forward").equals("DELIVERED") && verdict("reply").equals("DELIVERED");
    }
  }

  /**
   * The address family every trace and probe of the matrix asks for (4 or 6), or 0 for the
   * sandbox's first family without {@code --family}.
   */
  int family() {
    return 0;
  }

  /** The probe in the matrix's family. */
  Probe inFamily(Probe p) {
    return family() == 0 ? p : p.inFamily(family());
  }

  /** The external host's address in the matrix's family. */
  String externalIp() {
    return family() == 0 ? sb.externalIp() : sb.externalIp(family());
  }

  Traced trace(String src, String dst, Probe p) throws Exception {
    List<String> args =
        new ArrayList<>(List.of("--aggregator", aggregator.address(), "trace", src, dst));
    args.addAll(List.of(TraceMatrix.opts(p)));
    if (family() != 0) {
      args.addAll(List.of("--family", Integer.toString(family())));
    }
    String[] base = args.toArray(String[]::new);
    MatrixCli.Run json = MatrixCli.cli(MatrixCli.concat(base, "-o", "json"));
    MatrixCli.Run text = MatrixCli.cli(base);
    assertThat(json.exit()).as("podpath trace %s %s: %s", src, dst, json.err()).isIn(0, 1);
    return new Traced(json.exit(), MatrixCli.JSON.readTree(json.out()), text.out() + text.err());
  }

  /** One row: podpath's answer against the real packets; the disagreement, or null. */
  String row(String src, String dst, Probe p, boolean podpathWorks, Traced t) {
    ProbeResult real = sb.probe(src, dst, inFamily(p));
    Conntrack.flush(sb);
    if (podpathWorks == real.delivered()) {
      return null;
    }
    return String.format(
        "%s -> %s %s: podpath %s/%s, real packets %s (%s)%n%s",
        src,
        dst,
        p.protocol(),
        t.verdict("forward"),
        t.verdict("reply"),
        real.delivered() ? "delivered" : "failed",
        real.reason(),
        t.text());
  }

  /** The traced packet is of the matrix's family (when it asks for one). */
  void assertFamily(Traced t) {
    if (family() != 0) {
      assertThat(t.first().path("forward").path("packet").path("dstIp").asText().contains(":"))
          .as("the traced packet is IPv%d: %s", family(), t.text())
          .isEqualTo(family() == 6);
    }
  }

  static void allOn(JsonNode direction, String node, String text) {
    assertThat(direction.path("nodes"))
        .as(text)
        .isNotEmpty()
        .allSatisfy(n -> assertThat(n.path("node").asText()).isEqualTo(node));
  }
}
