package io.podpath.agent.conntrack;

import static org.assertj.core.api.Assertions.assertThat;

import io.podpath.agent.unixctl.Unixctl;
import io.podpath.agent.unixctl.UnixctlException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The conntrack reads name their datapath, found once with dump-dps and found again when
 * ovs-vswitchd no longer has it. ovs-vswitchd's answers are the ones hack/fixtures/conntrack.sh
 * recorded from the sandbox's userspace datapath.
 */
class DatapathNameTest {
  private static final Duration T = Duration.ofSeconds(1);

  private static String fixture(String name) {
    try {
      return Files.readString(Path.of("src/test/resources/fixtures/conntrack", name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Replays the recorded answers; {@code gone} makes it answer as with no such datapath. */
  static final class Recorded implements Unixctl {
    final List<String> calls = new ArrayList<>();
    boolean gone;

    @Override
    public String call(String method, List<String> params, Duration timeout) {
      calls.add(method + (params.isEmpty() ? "" : " " + String.join(" ", params)));
      if (method.equals("dpctl/dump-dps")) {
        return fixture("dump-dps.txt");
      }
      if (gone) {
        throw new UnixctlException(method, fixture("ct-get-maxconns-no-datapath.txt"));
      }
      return fixture(method.substring("dpctl/".length()) + ".txt");
    }

    @Override
    public String via() {
      return "unixctl";
    }
  }

  @Test
  void dumpDpsNamesTheUserspaceDatapath() {
    assertThat(DatapathName.pick(fixture("dump-dps.txt"))).hasValue("netdev@ovs-netdev");
    assertThat(DatapathName.pick("system@ovs-system\nnetdev@ovs-netdev\n"))
        .hasValue("netdev@ovs-netdev");
    assertThat(DatapathName.pick("system@ovs-system\n")).hasValue("system@ovs-system");
    assertThat(DatapathName.pick("")).isEmpty();
  }

  @Test
  void everyDpctlCallNamesTheDatapathFoundOnce() {
    Recorded vswitchd = new Recorded();
    OvsConntrack ct = new OvsConntrack(vswitchd);
    assertThat(ct.fills(Set.of(9), T)).isPresent();
    assertThat(ct.fills(Set.of(9), T)).isPresent();
    ct.entries(new CtTuple("udp", "10.244.1.4", "10.244.2.3", 40001, 53), T);
    assertThat(vswitchd.calls).filteredOn(c -> c.startsWith("dpctl/dump-dps")).hasSize(1);
    assertThat(vswitchd.calls)
        .filteredOn(c -> !c.startsWith("dpctl/dump-dps"))
        .hasSize(7)
        .allSatisfy(c -> assertThat(c).endsWith(" netdev@ovs-netdev"));
  }

  @Test
  void aDatapathNotFoundIsLookedUpAgain() {
    Recorded vswitchd = new Recorded();
    OvsConntrack ct = new OvsConntrack(vswitchd);
    assertThat(ct.fills(Set.of(), T)).isPresent();
    vswitchd.gone = true;
    assertThat(ct.fills(Set.of(), T)).isEmpty();
    vswitchd.gone = false;
    assertThat(ct.fills(Set.of(), T)).isPresent();
    assertThat(vswitchd.calls).filteredOn(c -> c.startsWith("dpctl/dump-dps")).hasSize(2);
  }
}
