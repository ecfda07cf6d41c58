package io.podpath.aggregator.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.podpath.aggregator.connect.AggregatorLocation;
import io.podpath.aggregator.connect.AggregatorUnreachableException;
import io.podpath.aggregator.connect.KubeClients;
import io.podpath.aggregator.connect.PortForwardTunnel;
import io.podpath.proto.grpc.HostPort;
import io.podpath.proto.v1.AggregatorServiceGrpc;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;

/**
 * The CLI's channel to the aggregator: {@code --aggregator} / PODPATH_AGGREGATOR when given, else a
 * port-forward to the in-cluster aggregator made with the user's kubeconfig.
 */
final class AggregatorConnection implements AutoCloseable {
  private final ManagedChannel channel;
  private final int timeoutSeconds;
  private final List<AutoCloseable> resources;

  private AggregatorConnection(
      ManagedChannel channel, int timeoutSeconds, List<AutoCloseable> resources) {
    this.channel = channel;
    this.timeoutSeconds = timeoutSeconds;
    this.resources = resources;
  }

  static AggregatorConnection open(GlobalOptions g, CommandLine cmd) {
    if (g.timeoutSeconds() < 1) {
      throw new CommandLine.ParameterException(
          cmd, "--timeout: " + g.timeoutSeconds() + " is not a positive number of seconds");
    }
    List<AutoCloseable> resources = new ArrayList<>();
    String target;
    if (!g.aggregator().isEmpty()) {
      try {
        target = HostPort.parse(g.aggregator()).target();
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(cmd, "--aggregator: " + e.getMessage());
      }
    } else {
      KubernetesClient client =
          KubeClients.forUser(
              Optional.ofNullable(g.kubeconfig()), Optional.ofNullable(g.context()));
      resources.add(client::close);
      try {
        PortForwardTunnel tunnel = PortForwardTunnel.open(client, AggregatorLocation.defaults());
        resources.add(tunnel);
        target = tunnel.target();
      } catch (RuntimeException e) {
        closeAll(resources);
        if (e instanceof io.fabric8.kubernetes.client.KubernetesClientException
            || (e instanceof AggregatorUnreachableException a
                && a.reason() == AggregatorUnreachableException.Reason.API_ERROR)) {
          // Say which API server and why: fabric8's message names neither.
          Throwable root = e;
          while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
          }
          throw new Unreachable(
              e.getMessage().strip()
                  + " (API server "
                  + client.getMasterUrl()
                  + (root == e ? "" : ": " + root)
                  + ")");
        }
        throw e;
      }
    }
    // Loopback or a port-forward: the CLI port is never exposed; mTLS is between aggregator and
    // agents.
    ManagedChannel ch =
        Grpc.newChannelBuilder(target, InsecureChannelCredentials.create())
            .maxInboundMessageSize(MAX_RESULT_BYTES)
            .build();
    return new AggregatorConnection(ch, g.timeoutSeconds(), resources);
  }

  /**
   * A sweep's result holds every node's report (a few KiB each): ~30 MiB at 5,000 nodes, past
   * gRPC's default 4 MiB limit on a received message.
   */
  static final int MAX_RESULT_BYTES = 256 << 20;

  AggregatorServiceGrpc.AggregatorServiceBlockingStub stub() {
    return AggregatorServiceGrpc.newBlockingStub(channel)
        .withDeadlineAfter(timeoutSeconds, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    channel.shutdownNow();
    closeAll(resources);
  }

  private static void closeAll(List<AutoCloseable> resources) {
    for (int i = resources.size() - 1; i >= 0; i--) {
      try {
        resources.get(i).close();
      } catch (Exception e) {
        // Closing a port-forward or client after use: nothing useful to tell the user.
      }
    }
  }

  /** podpath cannot reach what it needs (exit 3). */
  static final class Unreachable extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Unreachable(String message) {
      super(message);
    }
  }
}
