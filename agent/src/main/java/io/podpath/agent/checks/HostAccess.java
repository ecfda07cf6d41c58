package io.podpath.agent.checks;

import java.util.List;

/** The node's host network namespace: its /proc view and the tools run there. */
public interface HostAccess {
  /**
   * Reads a file as seen from the HOST netns (per-netns files such as /proc/sys/net/... resolve
   * against the reading thread's netns, so this must not be read from a pod's).
   */
  String readFile(String path) throws AccessException;

  /** Runs a tool in the host netns (argv, timeout and output cap are the runner's). */
  CommandOutput run(List<String> argv) throws AccessException;
}
