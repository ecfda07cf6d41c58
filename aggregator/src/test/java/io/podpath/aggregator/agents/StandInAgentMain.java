package io.podpath.aggregator.agents;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.podpath.proto.v1.AgentServiceGrpc;
import io.podpath.proto.v1.GetNodeRequest;
import io.podpath.proto.v1.NodeInfo;
import java.net.InetSocketAddress;

/**
 * A stand-in agent server for {@link AgentReconnectSandboxTest}, run as its own process inside a
 * node's network namespace (so it can be killed and restarted like a real agent, and partitioned by
 * that namespace's own firewall). GetNode answers {@code args[2]}. Prints "listening" once bound.
 */
public final class StandInAgentMain {
  private StandInAgentMain() {}

  public static void main(String[] args) throws Exception {
    String name = args[2];
    Server s =
        NettyServerBuilder.forAddress(new InetSocketAddress(args[0], Integer.parseInt(args[1])))
            .addService(
                new AgentServiceGrpc.AgentServiceImplBase() {
                  @Override
                  public void getNode(GetNodeRequest request, StreamObserver<NodeInfo> out) {
                    out.onNext(NodeInfo.newBuilder().setNodeName(name).build());
                    out.onCompleted();
                  }
                })
            .build()
            .start();
    System.out.println("listening");
    System.out.flush();
    s.awaitTermination();
  }
}
