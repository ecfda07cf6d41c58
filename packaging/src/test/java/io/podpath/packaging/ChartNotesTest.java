package io.podpath.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.InstallCommand;
import java.nio.file.Files;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** NOTES.txt, as `helm install` prints it (a client-only dry run). */
class ChartNotesTest {
  private static String notes(Map<String, Object> sets) {
    FakeApiServer.get();
    InstallCommand install =
        new Helm(Chart.DIR)
            .install()
            .withName(Chart.RELEASE)
            .withNamespace(Chart.NAMESPACE)
            .withKubeVersion(Chart.KUBE_VERSION)
            .dryRun()
            .clientOnly();
    sets.forEach(install::set);
    return install.call().getOutput();
  }

  @Test
  void tellsHowToUseTheCliThroughAPortForward() {
    String notes = notes(Map.of());
    assertThat(notes)
        .contains("kubectl -n podpath-system rollout status daemonset/podpath-agent")
        .contains("--role=podpath-user")
        .contains(
            "podpath --aggregator-namespace podpath-system --aggregator-service podpath-aggregator"
                + " trace NS/POD")
        .contains("port-forward")
        .contains("bound to 127.0.0.1")
        .contains("TLS certificates: generated")
        .doesNotContain("Lease");
  }

  @Test
  void theWebPagesPortForwardTargetsTheChartsHttpPort() {
    assertThat(notes(Map.of()))
        .contains(
            "kubectl -n podpath-system port-forward deploy/podpath-aggregator 9451:8080"
                + "   # then open http://localhost:9451/");
    assertThat(notes(Map.of("aggregator.httpPort", 9090)))
        .contains("port-forward deploy/podpath-aggregator 9451:9090");
  }

  /** docs/web.md's command is NOTES.txt's for release podpath in namespace podpath. */
  @Test
  void docsWebMdForwardsToTheChartsDefaultHttpPort() throws Exception {
    String web = Files.readString(Chart.ROOT.resolve("docs/web.md"));
    Matcher m =
        Pattern.compile("port-forward deploy/podpath-aggregator (\\d+):(\\d+) .*localhost:(\\d+)/")
            .matcher(web);
    assertThat(m.find()).as("a port-forward LOCAL:REMOTE line in docs/web.md").isTrue();
    String values = Files.readString(Chart.DIR.resolve("values.yaml"));
    assertThat(values).contains("  httpPort: " + m.group(2) + "\n");
    assertThat(m.group(3)).isEqualTo(m.group(1));
    assertThat(web).contains("`127.0.0.1:" + m.group(1) + "` (its `--http-listen` default)");
  }

  @Test
  void mentionsTheLeaseWithSeveralReplicas() {
    assertThat(notes(Map.of("aggregator.replicas", 3, "tls.mode", "certManager")))
        .contains("3 replica(s), leader elected through Lease podpath-system/podpath-aggregator")
        .contains("TLS certificates: certManager");
  }
}
