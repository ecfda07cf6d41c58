package io.podpath.aggregator.api;

import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.podpath.proto.grpc.HostPort;
import io.podpath.proto.grpc.LenientUtf8;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The aggregator's gRPC server (for the CLI); the caller supplies the services. */
public final class AggregatorServer implements AutoCloseable {
  private final Server server;

  public AggregatorServer(HostPort listen, List<BindableService> services) {
    NettyServerBuilder b =
        NettyServerBuilder.forAddress(new InetSocketAddress(listen.host(), listen.port()));
    // Invalid UTF-8 in a request string: INVALID_ARGUMENT naming the field, not UNKNOWN.
    services.forEach(s -> b.addService(LenientUtf8.wrap(s.bindService())));
    this.server = b.build();
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
