package io.podpath.agent.checks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The "table full" and "drops rising" cases run on /proc files recorded from a real netns by
 * hack/fixtures/checks.sh. They cannot be produced for real in the sandbox:
 * net.netfilter.nf_conntrack_max is read-only inside a non-initial netns (the recorder's write
 * attempt is kept in nf_conntrack_max-write-in-netns.txt), and filling the machine-wide table from
 * the initial netns would disturb the host. The real read path runs in ChecksSandboxTest.
 */
class ConntrackCheckTest {
  private static final String COUNT = "/proc/sys/net/netfilter/nf_conntrack_count";
  private static final String MAX = "/proc/sys/net/netfilter/nf_conntrack_max";
  private static final String STAT = "/proc/net/stat/nf_conntrack";

  private static RecordedNode recorded() {
    return new RecordedNode()
        .file(COUNT, Fixtures.read("nf_conntrack_count.txt"))
        .file(MAX, Fixtures.read("nf_conntrack_max.txt"))
        .file(STAT, Fixtures.read("proc-net-stat-nf_conntrack-after-traffic.txt"));
  }

  @Test
  void maxIsReadOnlyInsideANetns() {
    assertThat(Fixtures.read("nf_conntrack_max-write-in-netns.txt"))
        .as(Fixtures.about("nf_conntrack_max-write-in-netns.txt"))
        .containsAnyOf("Permission denied", "Invalid argument");
  }

  @Test
  void recordedHealthyTableIsOkWithCountAndMaxAsEvidence() {
    CheckResult r = new ConntrackCheck().run(recorded().context(new CounterMemory()));
    assertThat(r.status()).as(r.summary()).isEqualTo(CheckStatus.OK);
    assertThat(r.evidence())
        .anySatisfy(
            e -> {
              assertThat(e.source()).isEqualTo(MAX);
              assertThat(e.value()).isEqualTo(Fixtures.read("nf_conntrack_max.txt").trim());
            });
  }

  @Test
  void tableAtItsMaxFails() {
    String max = Fixtures.read("nf_conntrack_max.txt").trim();
    RecordedNode node = recorded().file(COUNT, max + "\n");
    CheckResult r = new ConntrackCheck().run(node.context(new CounterMemory()));
    assertThat(r.status()).isEqualTo(CheckStatus.FAIL);
    assertThat(r.summary()).contains(max + "/" + max).contains("100%");
    assertThat(r.remediation()).contains("nf_conntrack_max");
  }

  @Test
  void tableAtEightyPercentWarns() {
    long max = Long.parseLong(Fixtures.read("nf_conntrack_max.txt").trim());
    RecordedNode node = recorded().file(COUNT, String.valueOf(max * 8 / 10));
    assertThat(new ConntrackCheck().run(node.context(new CounterMemory())).status())
        .isEqualTo(CheckStatus.WARN);
  }

  @Test
  void dropsRisingBetweenSweepsFailAndSteadyCountersDoNot() {
    CounterMemory memory = new CounterMemory();
    RecordedNode node = recorded();
    CheckResult first = new ConntrackCheck().run(node.context(memory));
    assertThat(first.status()).isEqualTo(CheckStatus.OK);
    CheckResult same = new ConntrackCheck().run(node.context(memory));
    assertThat(same.status()).as("unchanged counters").isEqualTo(CheckStatus.OK);

    // The next sweep reads the same recorded table with CPU0's drop column (11th) up by 5.
    node.file(
        STAT, bumpColumn(Fixtures.read("proc-net-stat-nf_conntrack-after-traffic.txt"), "drop", 5));
    CheckResult rising = new ConntrackCheck().run(node.context(memory));
    assertThat(rising.status()).isEqualTo(CheckStatus.FAIL);
    assertThat(rising.summary()).contains("conntrack drop rose by 5");
  }

  @Test
  void insertFailedRisingWarns() {
    CounterMemory memory = new CounterMemory();
    RecordedNode node = recorded();
    new ConntrackCheck().run(node.context(memory));
    node.file(
        STAT,
        bumpColumn(
            Fixtures.read("proc-net-stat-nf_conntrack-after-traffic.txt"), "insert_failed", 2));
    CheckResult r = new ConntrackCheck().run(node.context(memory));
    assertThat(r.status()).isEqualTo(CheckStatus.WARN);
    assertThat(r.summary()).contains("insert_failed rose by 2");
  }

  @Test
  void noConntrackModuleIsNotApplicable() {
    CheckResult r = new ConntrackCheck().run(new RecordedNode().context(new CounterMemory()));
    assertThat(r.status()).isEqualTo(CheckStatus.NOT_APPLICABLE);
  }

  /** Adds {@code by} to one column of the first CPU line, keeping the file's hex format. */
  static String bumpColumn(String stat, String column, long by) {
    String[] lines = stat.split("\n");
    String[] names = lines[0].trim().split("\\s+");
    int c = Arrays.asList(names).indexOf(column);
    String[] values = lines[1].trim().split("\\s+");
    values[c] = String.format("%08x", Long.parseLong(values[c], 16) + by);
    lines[1] = String.join(" ", values);
    return String.join("\n", lines) + "\n";
  }
}
