package io.podpath.agent.server;

import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.MultiThreadIoEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.ServerChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.Epoll;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollIoHandler;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.nio.NioIoHandler;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioServerSocketChannel;
import io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The gRPC server's I/O threads, sized for a node agent: its clients are the aggregator (one
 * connection) and the odd debugging session, so one event loop accepts and does all I/O (TLS
 * included) instead of gRPC's accept thread plus one I/O thread per 2 x cores; each thread costs a
 * stack and a share of a malloc arena (docs/benchmarks.md, B4). Calls keep gRPC's default pool: its
 * idle threads end after a minute, and the service refuses calls past its in-flight limit at once,
 * so it holds about that many threads under load. A fixed-size pool would keep all of them.
 */
final class GrpcThreads implements AutoCloseable {
  private final EventLoopGroup loop;
  private final Class<? extends ServerChannel> channelType;

  GrpcThreads() {
    DefaultThreadFactory loopThreads = new DefaultThreadFactory("grpc-loop", true);
    if (Epoll.isAvailable()) {
      loop = new MultiThreadIoEventLoopGroup(1, loopThreads, EpollIoHandler.newFactory());
      channelType = EpollServerSocketChannel.class;
    } else {
      loop = new MultiThreadIoEventLoopGroup(1, loopThreads, NioIoHandler.newFactory());
      channelType = NioServerSocketChannel.class;
    }
  }

  /** Applies the event loop and its channel type to a server builder. */
  NettyServerBuilder apply(NettyServerBuilder builder) {
    return builder.bossEventLoopGroup(loop).workerEventLoopGroup(loop).channelType(channelType);
  }

  /** After the server has terminated: gRPC does not shut down a group it was given. */
  @Override
  public void close() {
    loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(2, TimeUnit.SECONDS);
  }
}
