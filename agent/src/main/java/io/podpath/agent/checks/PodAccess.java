package io.podpath.agent.checks;

import io.podpath.agent.pod.PodKey;
import java.util.List;

/** Runs things inside a local pod's network namespace. */
public interface PodAccess {
  /**
   * Java code run on a thread that has entered the pod's netns (sockets opened there live there).
   */
  @FunctionalInterface
  interface NetnsCall<T> {
    T call() throws Exception;
  }

  CommandOutput run(PodKey pod, List<String> argv) throws AccessException;

  <T> T call(PodKey pod, NetnsCall<T> task) throws AccessException;
}
