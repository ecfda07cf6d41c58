package io.podpath.aggregator.alert;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** An HTTP receiver on loopback that records every POST (path, headers, body). */
public final class Receiver implements AutoCloseable {
  @SuppressWarnings("ArrayRecordComponent") // a received body, read by the test as text
  public record Request(String path, Map<String, List<String>> headers, byte[] body) {
    public String text() {
      return new String(body, java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  private final HttpServer server;
  private final List<Request> requests = new ArrayList<>();
  private volatile int status = 200;

  public Receiver() throws IOException {
    this(0);
  }

  Receiver(int port) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
    server.createContext(
        "/",
        ex -> {
          byte[] body = ex.getRequestBody().readAllBytes();
          synchronized (requests) {
            requests.add(
                new Request(
                    ex.getRequestURI().getPath(), Map.copyOf(ex.getRequestHeaders()), body));
            requests.notifyAll();
          }
          ex.sendResponseHeaders(status, -1);
          ex.close();
        });
    server.start();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  void answer(int status) {
    this.status = status;
  }

  public List<Request> requests() {
    synchronized (requests) {
      return List.copyOf(requests);
    }
  }

  /** Waits until a recorded request matches, or fails after {@code timeout}. */
  public Request await(Predicate<Request> p, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (requests) {
      while (true) {
        for (Request r : requests) {
          if (p.test(r)) {
            return r;
          }
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError(
              "no matching request within "
                  + timeout
                  + "; got "
                  + requests.stream().map(Request::text).toList());
        }
        requests.wait(Math.max(1, left / 1_000_000));
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
