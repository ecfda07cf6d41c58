package io.podpath.aggregator.cli;

import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.podpath.proto.grpc.HostPort;
import io.podpath.proto.v1.AggregatorServiceGrpc;
import io.podpath.proto.v1.AggregatorServiceGrpc.AggregatorServiceBlockingStub;
import io.podpath.tls.TlsFiles;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import picocli.CommandLine;

/**
 * The CLI's channel to the aggregator: {@code --aggregator} / PODPATH_AGGREGATOR when given, else a
 * port-forward to the in-cluster aggregator ({@link PortForwardTarget}) made with the user's
 * kubeconfig. Failed calls become {@link CliFailure}s in words.
 */
final class AggregatorConnection implements AutoCloseable {
  private final ManagedChannel channel;
  private final int timeoutSeconds;
  private final List<AutoCloseable> resources;
  private final String where;
  private final String command;
  private final Optional<TlsFiles> tls;

  private AggregatorConnection(
      ManagedChannel channel,
      int timeoutSeconds,
      List<AutoCloseable> resources,
      String where,
      String command,
      Optional<TlsFiles> tls) {
    this.tls = tls;
    this.channel = channel;
    this.timeoutSeconds = timeoutSeconds;
    this.resources = resources;
    this.where = where;
    this.command = command;
  }

  static AggregatorConnection open(GlobalOptions g, CommandLine cmd) {
    if (g.timeoutSeconds() < 1) {
      throw new CommandLine.ParameterException(
          cmd, "--timeout: " + g.timeoutSeconds() + " is not a positive number of seconds");
    }
    Optional<TlsFiles> tls = AggregatorTls.files(g, cmd);
    ChannelCredentials credentials = AggregatorTls.credentials(tls, g.tlsServerName(), cmd);
    List<AutoCloseable> resources = new ArrayList<>();
    String target;
    String where;
    if (!g.aggregator().isEmpty()) {
      try {
        target = HostPort.parse(g.aggregator()).target();
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(cmd, "--aggregator: " + e.getMessage());
      }
      where = target;
    } else {
      PortForwardTarget pf = PortForwardTarget.open(g, resources);
      target = pf.target();
      where = pf.where();
    }
    // Plaintext to a loopback aggregator or through a port-forward; mTLS with --client-* flags
    // (an aggregator listening beyond loopback requires it).
    ManagedChannel ch =
        Grpc.newChannelBuilder(target, credentials).maxInboundMessageSize(MAX_RESULT_BYTES).build();
    return new AggregatorConnection(
        ch, g.timeoutSeconds(), resources, where, cmd.getCommandName(), tls);
  }

  /**
   * A sweep's result holds every node's report (a few KiB each): ~30 MiB at 5,000 nodes, past
   * gRPC's default 4 MiB limit on a received message.
   */
  static final int MAX_RESULT_BYTES = 256 << 20;

  /** One unary call; a failure comes back as a {@link CliFailure} in words. */
  <T> T call(Function<AggregatorServiceBlockingStub, T> call) {
    try {
      return call.apply(stub());
    } catch (StatusRuntimeException e) {
      throw failure(e);
    }
  }

  /** A failed call (also one met while reading a stream) in words. */
  CliFailure failure(StatusRuntimeException e) {
    return AggregatorTls.explain(e, where, tls)
        .orElseGet(() -> GrpcErrors.explain(e, where, timeoutSeconds, command));
  }

  AggregatorServiceBlockingStub stub() {
    return AggregatorServiceGrpc.newBlockingStub(channel)
        .withDeadlineAfter(timeoutSeconds, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    channel.shutdownNow();
    closeAll(resources);
  }

  static void closeAll(List<AutoCloseable> resources) {
    for (int i = resources.size() - 1; i >= 0; i--) {
      try {
        resources.get(i).close();
      } catch (Exception e) {
        // Closing a port-forward or client after use: nothing useful to tell the user.
      }
    }
  }
}
