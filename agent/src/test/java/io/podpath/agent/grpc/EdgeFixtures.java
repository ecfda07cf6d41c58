package io.podpath.agent.grpc;

import io.podpath.agent.exec.Command;
import io.podpath.agent.exec.CommandResult;
import io.podpath.agent.exec.CommandRunner;
import io.podpath.agent.ovsdb.OvsDatabase;
import io.podpath.agent.ovsdb.OvsdbRow;
import io.podpath.agent.trace.NodeTraceResult;
import io.podpath.agent.trace.Outcome;
import io.podpath.agent.trace.Tracer;
import io.podpath.proto.v1.Packet;
import io.podpath.proto.v1.PodRef;
import io.podpath.proto.v1.Protocol;
import io.podpath.proto.v1.TraceNodeRequest;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The recording collaborators and canned values {@link AgentGrpcServiceTest} starts its edge with.
 */
final class EdgeFixtures {
  private EdgeFixtures() {}

  /** Records every command and OVSDB read, so a test can prove none happened. */
  static final List<String> touched = new CopyOnWriteArrayList<>();

  static final CommandRunner RECORDING_RUNNER =
      new CommandRunner() {
        @Override
        public CommandResult run(Command command) {
          touched.add(command.display());
          throw new AssertionError("no command may run in this test: " + command.display());
        }
      };

  static final OvsDatabase RECORDING_DB =
      new OvsDatabase() {
        @Override
        public List<OvsdbRow> list(String table, List<String> columns, Duration timeout) {
          touched.add("ovsdb " + table);
          throw new AssertionError("no OVSDB read may happen in this test");
        }

        @Override
        public String via() {
          return "test";
        }
      };

  /** A request that passes validation, so the tracer is reached. */
  static final TraceNodeRequest VALID =
      TraceNodeRequest.newBuilder()
          .setPod(PodRef.newBuilder().setNamespace("default").setName("client-1"))
          .setPacket(
              Packet.newBuilder()
                  .setSrcIp("10.244.1.3")
                  .setDstIp("10.244.2.3")
                  .setProtocol(Protocol.PROTOCOL_TCP)
                  .setDstPort(80))
          .build();

  static final NodeTraceResult RESULT =
      new NodeTraceResult(
          "node1",
          "br-int",
          "",
          List.of(),
          "",
          "",
          new Outcome(
              Outcome.Kind.OTHER_PORT,
              "test",
              "",
              -1,
              Optional.empty(),
              Optional.empty(),
              Optional.empty(),
              "",
              List.of()),
          "",
          List.of(),
          "test");

  static final Tracer UNUSED =
      (spec, budget) -> {
        throw new AssertionError("the tracer may not be reached in this test");
      };
}
