package io.podpath.aggregator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.podpath.aggregator.cli.CliContractTest.Run;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code podpath serve --live-per-minute} as a user meets it through the CLI: a refused live trace
 * exits 5 (try again later) with the reason and the flag, before any agent is asked; a bad value is
 * a usage error of serve.
 */
class LiveLimitCliTest {

  /** Serves the test manifest with {@code extra} flags, as {@code podpath serve} does. */
  private static ServeWiring serve(String... extra) {
    return ServeWebFlagTest.serveOn("127.0.0.1", 0, extra);
  }

  private static Run liveTrace(ServeWiring w, String dst, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--aggregator",
                "127.0.0.1:" + w.grpcPort(),
                "trace",
                "default/client-1",
                dst,
                "--udp",
                "--dst-port",
                "53",
                "--forward-only",
                "--live",
                "--live-timeout",
                "100ms"));
    args.addAll(List.of(extra));
    return CliContractTest.run(args.toArray(String[]::new));
  }

  @Test
  void turnedOffExits5NamingTheFlag() throws Exception {
    try (ServeWiring w = serve("--live-per-minute", "0")) {
      Run r = liveTrace(w, "default/web-1").clean();
      assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.NOT_READY);
      assertThat(r.err())
          .contains("live traces are turned off on this aggregator")
          .contains("--live-per-minute 0");
    }
  }

  @Test
  void overTheRateExits5SayingWhenTheNextMayStart() throws Exception {
    try (ServeWiring w = serve("--live-per-minute", "1")) {
      Run first = liveTrace(w, "default/web-1");
      assertThat(first.err()).doesNotContain("live traces a minute");
      Run second = liveTrace(w, "default/web-1").clean();
      assertThat(second.exit()).as(second.err()).isEqualTo(ExitCodes.NOT_READY);
      assertThat(second.err())
          .contains("this aggregator starts at most 1 live traces a minute")
          .containsPattern("the next may start in [0-9]+ s")
          .contains("Try again then");
    }
  }

  @Test
  void anOutsideDestinationIsAUsageErrorNamingAllowExternal() throws Exception {
    try (ServeWiring w = serve()) {
      Run r = liveTrace(w, "ip:192.0.2.9").clean();
      assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.USAGE);
      assertThat(r.err())
          .contains("--live: 192.0.2.9 is outside the cluster")
          .contains("--allow-external");
    }
  }

  @Test
  void aBadRateIsAUsageErrorOfServe() {
    for (String bad : List.of("-1", "6001", "lots")) {
      Run r =
          CliContractTest.run(
              "serve",
              "--plaintext",
              "--snapshot",
              "src/test/resources/fixtures/inventory/sandbox-cluster.yaml",
              "--live-per-minute",
              bad);
      assertThat(r.exit()).as(bad + ": " + r.err()).isEqualTo(ExitCodes.USAGE);
      assertThat(r.err()).as(bad).contains("--live-per-minute");
    }
  }
}
