package io.podpath.agent.unixctl;

import io.podpath.agent.errors.UnavailableException;
import io.podpath.agent.exec.Command;
import io.podpath.agent.exec.CommandResult;
import io.podpath.agent.exec.CommandRunner;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * unixctl through {@code ovs-appctl -t CTL}: the fallback path and the reference in tests. Its
 * errors are turned into the same typed exceptions as the protocol path's.
 */
public final class AppctlUnixctl implements Unixctl {
  private final CommandRunner runner;
  private final Supplier<Path> socket;

  public AppctlUnixctl(CommandRunner runner, Supplier<Path> socket) {
    this.runner = runner;
    this.socket = socket;
  }

  @Override
  public String call(String method, List<String> params, Duration timeout) {
    ProtocolUnixctl.checkMethod(method);
    Path ctl = socket.get();
    List<String> argv = new ArrayList<>();
    argv.add("ovs-appctl");
    argv.add("--timeout=" + Math.max(1, timeout.toSeconds()));
    argv.add("-t");
    argv.add(ctl.toString());
    argv.add(method);
    argv.addAll(params);
    CommandResult r = runner.run(Command.of(argv).withTimeout(timeout.plusSeconds(1)));
    if (r.exitCode() == 0) {
      return r.stdout();
    }
    if (r.exitCode() == 2) {
      return throwServerError(method, r.stderr());
    }
    throw new UnavailableException(ctl.toString(), lastLine(r.stderr()));
  }

  /** ovs-appctl prints the server's error, then a line of its own that we drop. */
  private static String throwServerError(String method, String stderr) {
    String text = stderr;
    int i = text.lastIndexOf("ovs-appctl: ");
    if (i >= 0 && text.substring(i).contains("server returned an error")) {
      text = text.substring(0, i);
    }
    throw new UnixctlException(method, text);
  }

  private static String lastLine(String s) {
    String[] lines = s.strip().split("\n");
    return lines[lines.length - 1];
  }

  @Override
  public String via() {
    return "exec";
  }
}
