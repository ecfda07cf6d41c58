package io.podpath.aggregator.agents;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

class AgentPreconnectTest {
  /**
   * Ten agents behind a listener that accepts TCP but never answers the HTTP/2 preface: a
   * connection set-up stays under way until the agent hangs up. With a bound of 3, exactly three
   * are under way at a time, start() returns at once, and all ten are tried in the end.
   */
  @Test
  void connectsInTheBackgroundAtMostBoundAtATime() throws Exception {
    List<Socket> accepted = new CopyOnWriteArrayList<>();
    try (ServerSocket listener = new ServerSocket(0, 64, InetAddress.getLoopbackAddress())) {
      Thread acceptor =
          new Thread(
              () -> {
                while (!listener.isClosed()) {
                  try {
                    accepted.add(listener.accept());
                  } catch (IOException e) {
                    return;
                  }
                }
              });
      acceptor.setDaemon(true);
      acceptor.start();
      List<AgentAddress> agents = new ArrayList<>();
      for (int i = 1; i <= 10; i++) {
        agents.add(new AgentAddress("node" + i, "127.0.0.1", listener.getLocalPort()));
      }
      try (GrpcAgentClient client =
          new GrpcAgentClient(
              new StaticAgentDirectory(agents),
              AgentCredentials.plaintext(),
              Duration.ofMinutes(1),
              new SimpleMeterRegistry())) {
        long t0 = System.nanoTime();
        AgentPreconnect p = AgentPreconnect.start(client, agents, 3);
        assertThat(Duration.ofNanos(System.nanoTime() - t0))
            .as("start-up does not wait for the handshakes")
            .isLessThan(Duration.ofSeconds(2));
        await(() -> accepted.size() >= 3);
        TimeUnit.MILLISECONDS.sleep(700);
        assertThat(accepted).as("connections under way at once").hasSize(3);
        assertThat(p.inFlight()).isEqualTo(3);
        assertThat(p.settled()).isZero();
        // the agents hang up one by one: each ended attempt lets the next agent be dialled
        int closed = 0;
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (p.settled() < 10) {
          assertThat(System.nanoTime()).as("all ten tried within 60 s").isLessThan(end);
          assertThat(p.inFlight()).isLessThanOrEqualTo(3);
          if (closed < accepted.size()) {
            accepted.get(closed++).close();
          } else {
            TimeUnit.MILLISECONDS.sleep(20);
          }
        }
        assertThat(p.inFlight()).isZero();
      }
    }
    for (Socket s : accepted) {
      s.close();
    }
  }

  @Test
  void boundZeroConnectsNothing() throws Exception {
    try (ServerSocket listener = new ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
      List<AgentAddress> agents =
          List.of(new AgentAddress("node1", "127.0.0.1", listener.getLocalPort()));
      try (GrpcAgentClient client =
          new GrpcAgentClient(
              new StaticAgentDirectory(agents),
              AgentCredentials.plaintext(),
              Duration.ofMinutes(1),
              new SimpleMeterRegistry())) {
        AgentPreconnect p = AgentPreconnect.start(client, agents, 0);
        listener.setSoTimeout(700);
        try (Socket s = listener.accept()) {
          throw new AssertionError("dialled with bound 0: " + s);
        } catch (java.net.SocketTimeoutException expected) {
          assertThat(p.inFlight()).isZero();
        }
      }
    }
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition within 30 s").isLessThan(end);
      TimeUnit.MILLISECONDS.sleep(20);
    }
  }
}
