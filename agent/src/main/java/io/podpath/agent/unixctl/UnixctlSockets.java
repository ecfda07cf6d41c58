package io.podpath.agent.unixctl;

import io.podpath.agent.errors.UnavailableException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds a daemon's control socket: {@code <rundir>/<daemon>.<pid>.ctl}, the pid read from {@code
 * <rundir>/<daemon>.pid} at each call, because a restarted daemon gets a new socket.
 */
public final class UnixctlSockets {
  private UnixctlSockets() {}

  /**
   * The control socket of a running OVS daemon, found through its pidfile.
   *
   * @throws UnavailableException naming the pidfile or socket when the daemon is not there
   */
  public static Path find(Path rundir, String daemon) {
    Path pidfile = rundir.resolve(daemon + ".pid");
    String pid;
    try {
      pid = Files.readString(pidfile).strip();
    } catch (IOException e) {
      throw new UnavailableException(pidfile.toString(), "cannot read pidfile: " + e.getMessage());
    }
    if (!pid.matches("[0-9]{1,10}")) {
      throw new UnavailableException(pidfile.toString(), "pidfile does not hold a pid");
    }
    Path ctl = rundir.resolve(daemon + "." + pid + ".ctl");
    if (!Files.exists(ctl)) {
      throw new UnavailableException(ctl.toString(), "control socket missing");
    }
    return ctl;
  }

  /** Like {@link #find} but empty when the daemon does not run here. */
  public static Optional<Path> lookup(Path rundir, String daemon) {
    try {
      return Optional.of(find(rundir, daemon));
    } catch (UnavailableException e) {
      return Optional.empty();
    }
  }
}
