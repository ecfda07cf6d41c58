package io.podpath.agent;

import io.podpath.agent.exec.Command;
import io.podpath.agent.exec.CommandResult;
import io.podpath.agent.exec.CommandRunner;
import io.podpath.agent.ip.IpTool;
import io.podpath.agent.netns.NetnsExecutor;
import io.podpath.agent.ovsdb.OvsDatabase;
import io.podpath.agent.ovsdb.OvsdbRow;
import io.podpath.agent.unixctl.Unixctl;
import java.time.Duration;
import java.util.List;

/**
 * What an {@link AgentContext.Builder} holds for a channel nobody set: the runtime sets every one,
 * a test only those its code reaches, and code that reaches another fails naming it.
 */
final class UnsetChannels {
  static final CommandRunner RUNNER =
      new CommandRunner() {
        @Override
        public CommandResult run(Command command) {
          throw unset("runner");
        }
      };

  static final OvsDatabase OVSDB =
      new OvsDatabase() {
        @Override
        public List<OvsdbRow> list(String table, List<String> columns, Duration timeout) {
          throw unset("ovsdb");
        }

        @Override
        public String via() {
          return "unset";
        }
      };

  static final Unixctl VSWITCHD = unixctl("vswitchd");
  static final Unixctl OVN_CONTROLLER = unixctl("ovnController");

  /** An ip tool over the unset runner: its first command fails naming the runner. */
  static final IpTool IP = new IpTool(RUNNER);

  /** No worker threads: its first call fails (UNAVAILABLE, "no worker thread left"). */
  static final NetnsExecutor NETNS = new NetnsExecutor(0);

  private UnsetChannels() {}

  private static Unixctl unixctl(String channel) {
    return new Unixctl() {
      @Override
      public String call(String method, List<String> params, Duration timeout) {
        throw unset(channel);
      }

      @Override
      public String via() {
        return "unset";
      }
    };
  }

  private static IllegalStateException unset(String channel) {
    return new IllegalStateException(
        "this AgentContext has no "
            + channel
            + ": set it with AgentContext.builder(...)."
            + channel
            + "(...)");
  }
}
