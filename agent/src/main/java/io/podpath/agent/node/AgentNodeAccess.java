package io.podpath.agent.node;

import io.podpath.agent.AgentContext;
import io.podpath.agent.exec.Command;
import io.podpath.agent.exec.CommandResult;
import io.podpath.agent.kernel.NodeAccess;
import io.podpath.agent.kernel.TimeLeft;
import io.podpath.agent.netns.NftGeneration;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;

/**
 * {@link NodeAccess} over the agent's plumbing: /proc/sys is read from a netns-executor thread that
 * entered the node's network namespace (per-netns sysctls resolve against the reading thread), and
 * tools run through the one command runner inside that namespace. Without a host netns (the agent
 * runs in the node's namespace already) both happen in place.
 */
public final class AgentNodeAccess implements NodeAccess {
  private final AgentContext agent;
  private final Supplier<Duration> timeout;

  public AgentNodeAccess(AgentContext agent, Duration timeout) {
    this(agent, () -> timeout);
  }

  private AgentNodeAccess(AgentContext agent, Supplier<Duration> timeout) {
    this.agent = agent;
    this.timeout = timeout;
  }

  /** Each read and command gets what is left of the trace's deadline when it starts. */
  @Override
  public NodeAccess until(Instant deadline) {
    return new AgentNodeAccess(agent, () -> TimeLeft.until(deadline, "reading the node kernel"));
  }

  @Override
  public Optional<String> read(String path) {
    Path p = Path.of(path);
    if (agent.hostNetns().isEmpty()) {
      return readProc(p);
    }
    return agent.netns().call(agent.hostNetns().get(), timeout.get(), () -> readProc(p));
  }

  @Override
  public OptionalLong rulesetGeneration() {
    if (agent.hostNetns().isEmpty()) {
      return NftGeneration.current();
    }
    return agent.netns().call(agent.hostNetns().get(), timeout.get(), NftGeneration::current);
  }

  @Override
  public CommandResult run(List<String> argv) {
    return agent.runOnHost(Command.of(argv).withTimeout(timeout.get()));
  }

  /**
   * One large read from offset 0: a sysctl file answers a read at a non-zero offset with EOF, so
   * Files.readString on a zero-size /proc file would return a truncated value.
   */
  static Optional<String> readProc(Path p) {
    try (InputStream in = Files.newInputStream(p)) {
      return Optional.of(new String(in.readNBytes(1 << 20), StandardCharsets.UTF_8));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException(p + ": " + e.getMessage(), e);
    }
  }
}
