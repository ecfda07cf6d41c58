package io.podpath.aggregator.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.podpath.aggregator.agents.StaticAgentDirectory;
import io.podpath.aggregator.api.HttpEndpoints;
import io.podpath.aggregator.testing.SandboxAggregator;
import io.podpath.testkit.Chromium;
import io.podpath.testkit.Fault;
import io.podpath.testkit.Sandbox;
import io.podpath.testkit.SandboxExtension;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web page in a real headless Chromium against a REAL 3-node OVN sandbox (its agents over mTLS,
 * the aggregator's services and HTTP edge in this JVM): a cross-node trace dropped by a
 * NetworkPolicy, a Service trace, and a node broken with a fault knob showing in the health grid.
 * Screenshots go to target/web-screenshots.
 */
@ExtendWith(SandboxExtension.class)
class WebPageSandboxTest {
  static final Duration WAIT = Duration.ofSeconds(90);
  static final Path SHOTS = Path.of("target", "web-screenshots");
  static Sandbox sandbox;
  static Vertx vertx;
  static SandboxAggregator aggregator;
  static HttpEndpoints http;
  static String base;

  @BeforeAll
  static void start(Sandbox s) throws Exception {
    sandbox = s;
    aggregator = SandboxAggregator.start(s);
    vertx = Vertx.vertx();
    http =
        new HttpEndpoints(
            vertx,
            aggregator.inventory(),
            StaticAgentDirectory.parse(List.of("node1=127.0.0.1:1")),
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    WebUi.mount(http.router(), aggregator.service(), aggregator.inventory());
    base = "http://127.0.0.1:" + http.listen("127.0.0.1", 0) + "/";
  }

  @AfterAll
  static void stop() {
    if (sandbox != null) {
      sandbox.clearPolicies();
      sandbox.fix(Fault.IP_FORWARD, "node2");
    }
    if (http != null) {
      http.close();
    }
    if (vertx != null) {
      vertx.close();
    }
    if (aggregator != null) {
      aggregator.close();
    }
  }

  @Test
  void crossNodeTraceShowsTheDropWithItsPolicyAndTheServiceTraceEveryEndpoint(@TempDir Path tmp)
      throws Exception {
    sandbox.policyDenyIngress("default/web-2");
    try (Chromium c = new Chromium(tmp.resolve("profile"))) {
      // The URL alone reproduces the trace.
      c.navigate(
          base
              + "#trace?source=default%2Fclient-1&destination=default%2Fweb-2&protocol=tcp&port=80");
      c.await(
          "document.body.dataset.trace === 'done' || document.body.dataset.trace === 'error'",
          WAIT);
      assertThat(c.text("document.getElementById('trace-status').textContent"))
          .isEqualTo("not every forward packet reached its destination");
      assertThat(c.text("document.getElementById('trace-verdicts').innerText"))
          .contains("default/web-2 10.244.2.3:80 forward DROPPED")
          .contains("reply DELIVERED");
      assertThat(
              c.text(
                  "[...document.querySelectorAll('#trace-picture g.node')].map(g => g.dataset.direction || g.dataset.node).join(',')"))
          .isEqualTo("node1,node2,node2,node1");
      assertThat(c.text("document.querySelector('#trace-picture g.node.dropped').textContent"))
          .contains("policy default/deny-ingress-web-2")
          .contains("dropped in table");
      assertThat(c.text("document.querySelector('#trace-picture g.node.dropped').dataset.node"))
          .isEqualTo("node2");
      c.screenshot(SHOTS.resolve("trace-drop.png"));

      // The form, as a user fills it: a Service trace, one card per endpoint.
      c.eval(
          "(() => { const f = document.getElementById('trace-form');"
              + " f.elements.destination.value = 'svc/default/web';"
              + " document.body.dataset.trace = ''; f.requestSubmit(); })()");
      c.await(
          "document.body.dataset.trace === 'done' || document.body.dataset.trace === 'error'",
          WAIT);
      assertThat(c.text("location.hash")).contains("destination=svc%2Fdefault%2Fweb");
      assertThat(c.eval("document.querySelectorAll('#trace-picture g.endpoint').length").asInt())
          .isEqualTo(3);
      assertThat(c.text("document.getElementById('trace-verdicts').innerText"))
          .contains("default/web-1 10.244.1.3:80 forward DELIVERED")
          .contains("default/web-2 10.244.2.3:80 forward DROPPED")
          .contains("default/web-3 10.244.3.3:80 forward DELIVERED");
      c.screenshot(SHOTS.resolve("trace-service.png"));
    } finally {
      sandbox.clearPolicies();
    }
  }

  /** Layout faults of the grid's header as a JSON list; "[]" when none. */
  static final String HEADER_PROBLEMS =
      "(() => { const hs = [...document.querySelectorAll('#grid-head .c')];"
          + " const row = document.querySelector('#grid .grid-row'); const bad = [];"
          + " const rs = hs.map(h => h.getBoundingClientRect());"
          + " hs.forEach((h, i) => {"
          + "  if (h.scrollWidth > h.clientWidth + 1) bad.push('text overflows: ' + h.textContent);"
          + "  for (let j = i + 1; j < hs.length; j++) { const a = rs[i], b = rs[j];"
          + "   if (a.left < b.right - 0.5 && b.left < a.right - 0.5"
          + "       && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5)"
          + "    bad.push('overlap: ' + h.textContent + ' / ' + hs[j].textContent); }"
          + "  const cell = row.querySelector('[data-check=\"' + h.textContent + '\"]');"
          + "  if (Math.abs(cell.getBoundingClientRect().left - rs[i].left) > 2)"
          + "   bad.push('not over its column: ' + h.textContent); });"
          + " return JSON.stringify(bad); })()";

  @Test
  void aBrokenNodeIsMarkedInTheGridWithItsEvidenceAndFix(@TempDir Path tmp) throws Exception {
    sandbox.breakFault(Fault.IP_FORWARD, "node2");
    try (Chromium c = new Chromium(tmp.resolve("profile"))) {
      aggregator.sweeps().sweep(List.of(), List.of(), u -> {});
      c.navigate(base + "#health");
      c.await("document.body.dataset.health === 'ready'", WAIT);
      assertThat(c.text("document.getElementById('sweep-time').textContent"))
          .matches("last sweep \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ \\(3 nodes\\)");
      // Problems first: node2's row is on top, its ip-forward cell says fail.
      assertThat(c.text("document.querySelector('#grid .grid-row').dataset.node"))
          .isEqualTo("node2");
      assertThat(
              c.text(
                  "document.querySelector('#grid .grid-row[data-node=node2]"
                      + " [data-check=ip-forward]').dataset.status"))
          .isEqualTo("fail");
      assertThat(
              c.text(
                  "document.querySelector('#grid .grid-row[data-node=node1]"
                      + " [data-check=ip-forward]').dataset.status"))
          .isEqualTo("ok");
      c.eval(
          "document.querySelector('#grid .grid-row[data-node=node2]"
              + " [data-check=ip-forward]').click()");
      c.await("document.querySelector('#cell .fix')", WAIT);
      assertThat(c.text("document.getElementById('cell').innerText"))
          .contains("node2 · ip-forward")
          .contains("fix: ");
      c.screenshot(SHOTS.resolve("health.png"));
      // Column headers: each check id fits in its own box (service-programming wraps), no two
      // boxes intersect, and each sits over its column's cells.
      assertThat(
              c.text(
                  "[...document.querySelectorAll('#grid-head .c')].map(h => h.textContent).join()"))
          .contains("service-programming");
      assertThat(c.text(HEADER_PROBLEMS)).as("grid header layout").isEqualTo("[]");
      // Search narrows the grid to one check.
      c.eval(
          "(() => { const s = document.getElementById('grid-search'); s.value = 'ip-forward';"
              + " s.dispatchEvent(new Event('input')); })()");
      assertThat(c.eval("document.querySelectorAll('#grid-head .c').length").asInt()).isEqualTo(1);
    } finally {
      sandbox.fix(Fault.IP_FORWARD, "node2");
    }
  }

  @Test
  void aBrokenTunnelIsDrawnAsExactlyThatMissingPairInTheMesh(@TempDir Path tmp) throws Exception {
    // node1 <-> node3 only (not the knob's default next-node peer), as a user would break it.
    assertThat(
            sandbox
                .script(Duration.ofMinutes(2), "break", "tunnel", "node1", "--peer", "node3")
                .exitCode())
        .isZero();
    try (Chromium c = new Chromium(tmp.resolve("profile"))) {
      aggregator.sweeps().sweep(List.of(), List.of(), u -> {});
      c.navigate(base + "#health");
      c.await("document.body.dataset.health === 'ready'", WAIT);
      c.await("document.querySelector('#mesh-picture')", WAIT);
      assertThat(
              c.text(
                  "[...document.querySelectorAll('#mesh-picture g.missing-tunnel')]"
                      + ".map(g => g.textContent).join('|')"))
          .isEqualTo("no tunnel between node1 and node3node1 ✕ node3");
      assertThat(
              c.text(
                  "[...document.querySelectorAll('#mesh-picture g.mesh-node')]"
                      + ".map(g => g.textContent).join(',')"))
          .isEqualTo("node1,node2,node3");
      assertThat(
              c.text(
                  "document.querySelector('#cluster [data-check=tunnel-mesh] strong').textContent"))
          .doesNotEndWith(": ok");
      c.eval("document.getElementById('mesh').scrollIntoView()");
      c.screenshot(SHOTS.resolve("health-mesh.png"));
    } finally {
      sandbox.script(Duration.ofMinutes(2), "fix", "tunnel", "node1", "--peer", "node3");
    }
  }
}
