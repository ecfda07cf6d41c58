package io.podpath.agent.server;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's log: one line per event on stderr (what {@code kubectl logs} shows), with an RFC 3339
 * time and the level, through slf4j-simple; {@code --log-level} picks how much.
 */
final class AgentLogging {
  /** The levels {@code --log-level} accepts. */
  enum Level {
    error,
    warn,
    info,
    debug,
    trace
  }

  private AgentLogging() {}

  /** Must run before any logger is created: slf4j-simple reads these properties once. */
  static void configure(Level level) {
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", level.name());
    System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
    System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
    System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
    System.setProperty("org.slf4j.simpleLogger.showThreadName", "false");
    System.setProperty("org.slf4j.simpleLogger.levelInBrackets", "false");
    // The libraries' own chatter stays at warn unless asked for debug/trace.
    String libraries = level.compareTo(Level.debug) >= 0 ? level.name() : "warn";
    for (String lib : new String[] {"io.grpc", "io.netty", "io.vertx", "jnr"}) {
      System.setProperty("org.slf4j.simpleLogger.log." + lib, libraries);
    }
  }

  static void started(AgentOptions o, String version) {
    Logger log = LoggerFactory.getLogger(Main.class);
    log.info(
        "podpath-agent {} serving node {}: gRPC {} ({}), HTTP {}, OVS {}",
        version,
        o.nodeName(),
        o.listen(),
        o.tls().isPresent() ? "mTLS" : "plaintext",
        o.metricsListen(),
        o.ovsRundir());
    log.debug("log level {}", System.getProperty("org.slf4j.simpleLogger.defaultLogLevel"));
  }

  static void stopping() {
    LoggerFactory.getLogger(Main.class).info("podpath-agent stopping (signal)");
  }
}
