package io.podpath.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.podpath.proto.v1.AgentServiceGrpc;
import io.podpath.proto.v1.CheckReport;
import io.podpath.proto.v1.NodeInfo;
import io.podpath.proto.v1.ProbeResult;
import io.podpath.proto.v1.RunChecksRequest;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.Test;

/** The simulator answers with the replies recorded on a sandbox node (hack/fixtures/bench.sh). */
class RecordedFleetTest {
  static Path fixture(String name) throws URISyntaxException {
    URL u = RecordedFleetTest.class.getResource("/fixtures/bench/" + name);
    assertThat(u)
        .as("fixture %s missing: re-record with hack/record-fixtures --only bench", name)
        .isNotNull();
    return Path.of(u.toURI());
  }

  @Test
  void answersRunChecksWithTheRecordedReportRenamed() throws Exception {
    CheckReport report =
        Fixtures.read(fixture(Fixtures.RUN_CHECKS), CheckReport.newBuilder()).build();
    NodeInfo info = Fixtures.read(fixture(Fixtures.GET_NODE), NodeInfo.newBuilder()).build();
    assertThat(report.getResultsCount()).as("recorded checks").isGreaterThan(3);
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    String name = InProcessServerBuilder.generateName();
    FleetService s =
        new FleetService(
            report,
            info,
            ProbeResult.getDefaultInstance(),
            new FleetService.Delays(Duration.ofMillis(1), Duration.ZERO, Duration.ZERO),
            FleetService.Tunnels.MESH,
            3,
            timer);
    Server server = InProcessServerBuilder.forName(name).addService(s).build().start();
    ManagedChannel ch = InProcessChannelBuilder.forName(name).build();
    try {
      CheckReport got =
          AgentServiceGrpc.newBlockingStub(ch).runChecks(RunChecksRequest.getDefaultInstance());
      assertThat(got.getNode()).isEqualTo("node1");
      assertThat(got.getResultsList()).isEqualTo(report.getResultsList());
      assertThat(s.runChecksCalls.get()).isEqualTo(1);
    } finally {
      ch.shutdownNow();
      server.shutdownNow();
      timer.shutdownNow();
    }
  }
}
