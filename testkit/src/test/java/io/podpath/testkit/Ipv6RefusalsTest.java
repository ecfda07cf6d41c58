package io.podpath.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The modes whose real CNI has no IPv6 here refuse {@code --ip-family ipv6|dual} before building
 * anything, saying why and what to use instead; the testkit refuses the same configurations.
 */
class Ipv6RefusalsTest {
  private static ExecResult up(IndexClaim claim, String... args) {
    List<String> argv = new ArrayList<>(List.of("up", "--no-apps"));
    argv.addAll(List.of(args));
    return script(claim, argv);
  }

  private static ExecResult script(IndexClaim claim, List<String> args) {
    String prefix = "t" + claim.index();
    Map<String, String> env =
        Map.of(
            "PODPATH_SANDBOX_PREFIX", prefix,
            "PODPATH_SANDBOX_INDEX", Integer.toString(claim.index()),
            "PODPATH_SANDBOX_DIR", Path.of("/run/podpath-sandbox", prefix).toString());
    List<String> argv =
        new ArrayList<>(List.of(RepoRoot.locate().resolve("hack/sandbox").toString()));
    argv.addAll(args);
    return ProcessRunner.run(argv, env, Duration.ofSeconds(60));
  }

  @Test
  void sdnRefusesIpv6AndAciAnIpv6UnderlaySayingWhyAndWhatToUse() throws Exception {
    try (IndexClaim claim = IndexClaim.claimFree()) {
      // the lock is ours, so anything under the name is a killed run's leftover (CI met one)
      assertThat(script(claim, List.of("down")).exitCode()).isZero();
      ExecResult sdn = up(claim, "--mode", "sdn", "--ip-family", "ipv6");
      assertThat(sdn.exitCode()).isEqualTo(2);
      assertThat(sdn.stderr())
          .contains("OpenShift SDN is IPv4-only")
          .contains("never supported IPv6")
          .contains("Use --mode ovn");
      ExecResult aci = up(claim, "--mode", "aci", "--ip-family", "dual", "--underlay", "ipv6");
      assertThat(aci.exitCode()).isEqualTo(2);
      assertThat(aci.stderr())
          .contains("opflex-agent (the ACI CNI) supports no IPv6 tunnel destination")
          .contains("use --underlay ipv4");
      ExecResult underlay = up(claim, "--mode", "sdn", "--underlay", "ipv6");
      assertThat(underlay.exitCode()).isEqualTo(2);
      assertThat(underlay.stderr()).contains("only --mode ovn, kube-ovn, antrea and ovs build it");
      assertThat(
              Leftovers.find(
                  "t" + claim.index(), Path.of("/run/podpath-sandbox", "t" + claim.index())))
          .isEmpty();
    }
  }

  @Test
  void theTestkitRefusesTheSameModes() {
    assertThat(Mode.SDN.buildsIpv6()).isFalse();
    assertThatThrownBy(
            () -> new SandboxSpec(2, 2, Mode.SDN, IpFamily.IPV6, false, 1400, 1500, "", -1, false))
        .hasMessageContaining("is IPv4 only");
    for (Mode m : List.of(Mode.OVN, Mode.OVS, Mode.ANTREA, Mode.KUBE_OVN, Mode.ACI)) {
      assertThat(new SandboxSpec(2, 2, m, IpFamily.DUAL, false, 1400, 1500, "", -1, false).mode())
          .isEqualTo(m);
    }
    assertThatThrownBy(
            () -> new SandboxSpec(2, 2, Mode.SDN, IpFamily.IPV4, true, 1400, 1500, "", -1, false))
        .hasMessageContaining(
            "ipv6Underlay needs Mode.OVN, Mode.KUBE_OVN, Mode.ANTREA or Mode.OVS");
  }
}
