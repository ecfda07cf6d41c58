package io.podpath.aggregator.api;

import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.podpath.proto.grpc.HostPort;
import io.podpath.proto.grpc.LenientUtf8;
import io.podpath.tls.PodpathTls;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The aggregator's gRPC server (for the CLI); the caller supplies the services. Plaintext only on
 * loopback, mTLS anywhere else ({@link CliListener}).
 */
public final class AggregatorServer implements AutoCloseable {
  private final Server server;

  /** Plaintext on a loopback address; any other address is refused ({@link CliListener}). */
  public AggregatorServer(HostPort listen, List<BindableService> services) {
    this(CliListener.of(listen, Optional.empty(), Optional.empty()), services);
  }

  public AggregatorServer(CliListener listener, List<BindableService> services) {
    InetSocketAddress at =
        new InetSocketAddress(listener.address().host(), listener.address().port());
    NettyServerBuilder b =
        listener instanceof CliListener.Mtls m
            ? NettyServerBuilder.forAddress(at, credentials(m))
            : NettyServerBuilder.forAddress(at);
    // Invalid UTF-8 in a request string: INVALID_ARGUMENT naming the field, not UNKNOWN.
    services.forEach(s -> b.addService(LenientUtf8.wrap(s.bindService())));
    this.server = b.build();
  }

  /** Client certificate REQUIRED, from the CA; the files are re-read on rotation. */
  private static ServerCredentials credentials(CliListener.Mtls m) {
    return PodpathTls.serverCredentials(m.material(), m.allowedClient());
  }

  public AggregatorServer start() {
    try {
      server.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on gRPC " + server + ": " + e.getMessage(), e);
    }
    return this;
  }

  public int port() {
    return server.getPort();
  }

  public void awaitTermination() throws InterruptedException {
    server.awaitTermination();
  }

  @Override
  public void close() {
    server.shutdown();
    try {
      if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
        server.shutdownNow();
      }
    } catch (InterruptedException e) {
      server.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
