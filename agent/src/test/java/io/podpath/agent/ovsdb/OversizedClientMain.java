package io.podpath.agent.ovsdb;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * Run in a child JVM with the agent's heap flags by {@link OvsdbLimitsTest}: one call to the peer
 * on the socket given, printing "answer N" or "refused CLASS: MESSAGE". An OutOfMemoryError ends
 * the JVM (-XX:+ExitOnOutOfMemoryError), as it would end the agent.
 */
public final class OversizedClientMain {
  private OversizedClientMain() {}

  public static void main(String[] args) {
    try (JsonRpcConnection c =
        JsonRpcConnection.open(Remote.unix(Path.of(args[0])), Duration.ofSeconds(10))) {
      JsonNode resp =
          c.call(
              "list_dbs",
              JsonRpcConnection.JSON.createArrayNode(),
              Instant.now().plus(Duration.ofSeconds(60)));
      System.out.println("answer " + resp.path("result").size());
    } catch (RuntimeException e) {
      System.out.println("refused " + e.getClass().getSimpleName() + ": " + e.getMessage());
    }
  }
}
