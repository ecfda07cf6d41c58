package io.podpath.agent.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.podpath.agent.AgentContext;
import io.podpath.agent.checks.CheckService;
import io.podpath.agent.errors.UnavailableException;
import io.podpath.agent.exec.Command;
import io.podpath.agent.exec.CommandResult;
import io.podpath.agent.exec.CommandRunner;
import io.podpath.agent.grpc.AgentGrpcService;
import io.podpath.agent.ip.IpTool;
import io.podpath.agent.node.NodeInspector;
import io.podpath.agent.ovsdb.OvsDatabase;
import io.podpath.agent.ovsdb.OvsdbRow;
import io.podpath.agent.pod.PodLocator;
import io.podpath.agent.trace.NodeTracer;
import io.podpath.agent.unixctl.Unixctl;
import io.podpath.proto.grpc.LenientUtf8;
import io.podpath.proto.v1.AgentServiceGrpc;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The real AgentGrpcService with the real handlers (trace, checks, probe) over the in-process
 * transport, its only ways out (command runner, OVSDB, unixctl) replaced by recorders. A node with
 * an empty OVS (no bridges) whose {@code ip -j addr show} prints {@code []}: enough for GetNode to
 * succeed, so a test can prove the service still answers after bad input.
 */
final class RecordingAgent implements AutoCloseable {
  /** Every command started, OVSDB table read and unixctl call made, in order. */
  final List<String> touched = new CopyOnWriteArrayList<>();

  /** Only the argv of every command started. */
  final List<List<String>> commands = new CopyOnWriteArrayList<>();

  private final Server server;
  private final ManagedChannel channel;
  private final ExecutorService executor = Executors.newCachedThreadPool();

  RecordingAgent() throws Exception {
    CommandRunner runner =
        new CommandRunner() {
          @Override
          public CommandResult run(Command c) {
            touched.add("exec " + c.display());
            commands.add(c.argv());
            boolean ipAddr = c.argv().equals(List.of("ip", "-j", "addr", "show"));
            return new CommandResult(
                c.argv(),
                ipAddr ? 0 : 1,
                ipAddr ? "[]" : "",
                ipAddr ? "" : "recorded, not run",
                false,
                Duration.ZERO);
          }
        };
    OvsDatabase db =
        new OvsDatabase() {
          @Override
          public List<OvsdbRow> list(String table, List<String> columns, Duration timeout) {
            touched.add("ovsdb " + table);
            return table.equals("Open_vSwitch") ? List.of(systemRow()) : List.of();
          }

          @Override
          public String via() {
            return "recording";
          }
        };
    AgentContext ctx =
        AgentContext.builder("node1", Path.of("/nonexistent/podpath-rl"))
            .runner(runner)
            .ovsdb(db)
            .vswitchd(unixctl("ovs-vswitchd"))
            .ovnController(unixctl("ovn-controller"))
            .ip(new IpTool(runner))
            .build();
    CheckService checks =
        CheckService.forAgent(
            ctx,
            new SimpleMeterRegistry(),
            new io.podpath.agent.checks.ProbeScope(java.util.List.of()));
    String name = InProcessServerBuilder.generateName();
    server =
        InProcessServerBuilder.forName(name)
            .addService(
                LenientUtf8.wrap(
                    ServerInterceptors.intercept(
                        new AgentGrpcService(
                            new NodeInspector(ctx),
                            new PodLocator(ctx),
                            NodeTracer.forAgent(ctx),
                            checks,
                            16))))
            .executor(executor)
            .build()
            .start();
    channel = InProcessChannelBuilder.forName(name).build();
  }

  private Unixctl unixctl(String daemon) {
    return new Unixctl() {
      @Override
      public String call(String method, List<String> params, Duration timeout) {
        touched.add("unixctl " + daemon + " " + method + " " + params);
        throw new UnavailableException("/nonexistent/podpath-rl/" + daemon + ".ctl", "recorded");
      }

      @Override
      public String via() {
        return "recording";
      }
    };
  }

  private static OvsdbRow systemRow() {
    try {
      JsonNode n =
          new ObjectMapper()
              .readTree(
                  "{\"_uuid\":[\"uuid\",\"6a1ad3c4-0000-4000-8000-000000000001\"],"
                      + "\"ovs_version\":\"3.1.0\",\"external_ids\":[\"map\",[]],"
                      + "\"bridges\":[\"set\",[]]}");
      Map<String, JsonNode> cols = new HashMap<>();
      n.properties().forEach(e -> cols.put(e.getKey(), e.getValue()));
      return new OvsdbRow(cols);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  ManagedChannel channel() {
    return channel;
  }

  AgentServiceGrpc.AgentServiceBlockingStub stub() {
    return AgentServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
  }

  List<String> drain() {
    List<String> out = new ArrayList<>(touched);
    touched.clear();
    commands.clear();
    return out;
  }

  @Override
  public void close() {
    channel.shutdownNow();
    server.shutdownNow();
    executor.shutdownNow();
  }
}
