package io.podpath.agent.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class MainTest {

  @Test
  void helpListsEveryFlagOfTheBrief() {
    String usage = new CommandLine(new Main()).getUsageMessage();
    for (String flag :
        new String[] {
          "--node-name",
          "--ovs-rundir",
          "--ovn-sb",
          "--ovn-nb",
          "--listen",
          "--metrics-listen",
          "--tls-cert",
          "--tls-key",
          "--tls-ca",
          "--plaintext",
          "--host-netns",
          "--cni",
          "--check-interval"
        }) {
      assertThat(usage).contains(flag);
    }
    assertThat(usage.replaceAll("\\s+", ""))
        .contains("/var/run/openvswitch")
        .contains("0.0.0.0:9443")
        .contains("0.0.0.0:9444");
  }

  @Test
  void tlsIsRequiredUnlessPlaintextIsExplicit() {
    StringWriter err = new StringWriter();
    CommandLine cl = new CommandLine(new Main()).setErr(new PrintWriter(err));
    int code = cl.execute("--node-name", "node1", "--ovs-rundir", "/nonexistent");
    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("--tls-cert").contains("--plaintext");
  }

  @Test
  void nodeNameIsRequired() {
    StringWriter err = new StringWriter();
    int code = new CommandLine(new Main()).setErr(new PrintWriter(err)).execute("--plaintext");
    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("--node-name");
  }

  @Test
  void anUnknownCniIsAUsageErrorNamingTheAcceptedOnes() {
    StringWriter err = new StringWriter();
    int code =
        new CommandLine(new Main())
            .setErr(new PrintWriter(err))
            .execute("--node-name", "node1", "--plaintext", "--cni", "calico");
    assertThat(code).isEqualTo(2);
    assertThat(err.toString())
        .contains("--cni: unknown CNI 'calico'")
        .contains("auto, ovn-kubernetes, openshift-sdn, aci, antrea, kube-ovn");
  }

  @Test
  void aBadCheckIntervalIsAUsageErrorSayingTheForm() {
    StringWriter err = new StringWriter();
    int code =
        new CommandLine(new Main())
            .setErr(new PrintWriter(err))
            .execute("--node-name", "node1", "--plaintext", "--check-interval", "5 minutes");
    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("--check-interval").contains("e.g. 30s, 5m");
  }
}
