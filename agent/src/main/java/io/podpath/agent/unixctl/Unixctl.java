package io.podpath.agent.unixctl;

import java.time.Duration;
import java.util.List;

/**
 * One OVS daemon's unixctl interface (what {@code ovs-appctl -t CTL METHOD PARAMS...} talks to).
 * Params are passed as separate strings, never through a shell; callers build them from typed
 * values.
 */
public interface Unixctl {

  /**
   * Runs one command and returns its text output.
   *
   * @throws UnixctlException when the daemon answered with an error (its text in detail())
   * @throws io.podpath.agent.errors.UnavailableException naming the socket when it is missing or
   *     refuses connections
   * @throws io.podpath.agent.errors.DeadlineExceededException when no answer comes in time
   */
  String call(String method, List<String> params, Duration timeout);

  /** "unixctl" (the protocol) or "exec" (ovs-appctl). */
  String via();
}
