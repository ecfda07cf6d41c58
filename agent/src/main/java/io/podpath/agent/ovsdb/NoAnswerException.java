package io.podpath.agent.ovsdb;

import io.podpath.agent.errors.UnavailableException;

/**
 * An OVSDB or unixctl peer accepted the call but did not answer within the agent's own read
 * timeout: a stopped or hung daemon. UNAVAILABLE (naming the socket), never retried at once.
 */
public final class NoAnswerException extends UnavailableException {
  public NoAnswerException(String resource, long millis) {
    super(resource, "no answer within " + millis + " ms (is the daemon stopped or hung?)");
  }
}
