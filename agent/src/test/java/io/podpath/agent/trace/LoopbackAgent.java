package io.podpath.agent.trace;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.podpath.agent.server.AgentOptions;
import io.podpath.agent.server.AgentRuntime;
import io.podpath.proto.v1.AgentServiceGrpc;
import io.podpath.testkit.Node;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** An in-JVM agent for one sandbox node, reached over plaintext gRPC on loopback. */
final class LoopbackAgent implements AutoCloseable {
  private final AgentRuntime agent;
  private final ManagedChannel channel;

  private LoopbackAgent(AgentRuntime agent, ManagedChannel channel) {
    this.agent = agent;
    this.channel = channel;
  }

  static LoopbackAgent on(Node n) throws Exception {
    AgentRuntime a =
        AgentRuntime.start(
            AgentOptions.loopback(
                n.name(), n.ovsRundir(), Optional.of(Path.of("/var/run/netns", n.netns())), 8));
    return new LoopbackAgent(
        a, NettyChannelBuilder.forAddress("127.0.0.1", a.grpcPort()).usePlaintext().build());
  }

  /** A stub whose calls have a minute: a trace on a loaded machine, never a hung test. */
  AgentServiceGrpc.AgentServiceBlockingStub stub() {
    return AgentServiceGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    channel.shutdownNow();
    agent.close();
  }
}
