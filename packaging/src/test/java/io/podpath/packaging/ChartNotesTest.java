package io.podpath.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.InstallCommand;
import java.util.Map;
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
  void mentionsTheLeaseWithSeveralReplicas() {
    assertThat(notes(Map.of("aggregator.replicas", 3, "tls.mode", "certManager")))
        .contains("3 replica(s), leader elected through Lease podpath-system/podpath-aggregator")
        .contains("TLS certificates: certManager");
  }
}
