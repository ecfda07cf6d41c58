package io.podpath.agent.kernel;

import io.podpath.agent.exec.CommandResult;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The node's network namespace as the kernel hop reads it. The agent's implementation reads
 * /proc/sys from a netns-executor thread inside the node netns (per-netns sysctls resolve against
 * the reading thread) and runs tools through the one command runner there.
 */
public interface NodeAccess {
  /** A file's content, empty when it does not exist (e.g. no nf_conntrack module). */
  Optional<String> read(String path);

  /** Runs a tool; the result whatever its exit code. */
  CommandResult run(List<String> argv);

  /**
   * The node's nf_tables ruleset generation (bumped by every iptables-nft change), or empty when
   * the node cannot say (iptables-legacy, no nf_tables): what tells the kernel-facts cache that the
   * rules changed without running iptables-save.
   */
  default OptionalLong rulesetGeneration() {
    return OptionalLong.empty();
  }

  /**
   * The same access with every read and command bounded by the time left until {@code deadline} (a
   * trace's own deadline, so the kernel hop never outlives its caller). Fakes may ignore it.
   */
  default NodeAccess until(Instant deadline) {
    return this;
  }
}
