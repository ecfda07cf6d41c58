package io.podpath.bench;

import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import java.util.concurrent.TimeUnit;

/** Channels to an agent (mTLS) or to the aggregator's CLI port (loopback, plaintext). */
final class Channels {
  private Channels() {}

  static ManagedChannel agent(String target, ChannelCredentials creds) {
    return Grpc.newChannelBuilder(target, creds).build();
  }

  static ManagedChannel aggregator(String target) {
    // as the CLI: a sweep's result of thousands of nodes is past gRPC's default 4 MiB
    return Grpc.newChannelBuilder(target, InsecureChannelCredentials.create())
        .maxInboundMessageSize(256 << 20)
        .build();
  }

  static void close(ManagedChannel ch) {
    ch.shutdownNow();
    try {
      ch.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
