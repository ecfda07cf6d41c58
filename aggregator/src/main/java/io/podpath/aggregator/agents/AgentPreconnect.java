package io.podpath.aggregator.agents;

import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import java.util.Iterator;
import java.util.List;

/**
 * Connects to every agent in the background from start-up, at most {@code bound} connections being
 * set up at a time: the TLS handshakes then happen before the first sweep instead of inside it.
 * Start-up and readiness do not wait for it; a sweep that starts meanwhile uses the same channels
 * (connected, connecting, or dialled by the sweep itself). Each agent still gets its own connection
 * and full handshake.
 */
public final class AgentPreconnect {
  private final GrpcAgentClient client;
  private final int bound;
  private final int total;
  private final Iterator<AgentAddress> pending;
  private final long startNanos = System.nanoTime();
  private int inFlight;
  private int settled;
  private int ready;
  private boolean reported;

  private AgentPreconnect(GrpcAgentClient client, List<AgentAddress> agents, int bound) {
    this.client = client;
    this.bound = bound;
    this.total = agents.size();
    this.pending = List.copyOf(agents).iterator();
  }

  /** Starts connecting and returns at once; {@code bound} below 1 connects nothing. */
  public static AgentPreconnect start(
      GrpcAgentClient client, List<AgentAddress> agents, int bound) {
    AgentPreconnect p = new AgentPreconnect(client, bound < 1 ? List.of() : agents, bound);
    p.next();
    return p;
  }

  /** Agents whose connection attempt ended (connected or failed). */
  public synchronized int settled() {
    return settled;
  }

  /** Connection attempts under way now (never above the bound). */
  public synchronized int inFlight() {
    return inFlight;
  }

  private void next() {
    while (true) {
      AgentAddress a;
      synchronized (this) {
        if (inFlight >= bound || !pending.hasNext()) {
          break;
        }
        inFlight++;
        a = pending.next();
      }
      ManagedChannel c = client.connect(a);
      ConnectivityState s = c.getState(false);
      if (!watch(c, s)) {
        ended(s);
      }
    }
    report();
  }

  /** False when the attempt already ended in {@code s}; else waits for the next state. */
  private boolean watch(ManagedChannel c, ConnectivityState s) {
    if (s == ConnectivityState.READY
        || s == ConnectivityState.TRANSIENT_FAILURE
        || s == ConnectivityState.SHUTDOWN) {
      return false;
    }
    c.notifyWhenStateChanged(
        s,
        () -> {
          ConnectivityState now = c.getState(false);
          if (!watch(c, now)) {
            ended(now);
            next();
          }
        });
    return true;
  }

  private synchronized void ended(ConnectivityState s) {
    inFlight--;
    settled++;
    if (s == ConnectivityState.READY) {
      ready++;
    }
  }

  private void report() {
    int connected;
    synchronized (this) {
      if (reported || settled < total || total == 0) {
        return;
      }
      reported = true;
      connected = ready;
    }
    System.err.printf(
        "podpath aggregator: connected to %d of %d agents in the background (%.1f s)%n",
        connected, total, (System.nanoTime() - startNanos) / 1e9);
  }
}
