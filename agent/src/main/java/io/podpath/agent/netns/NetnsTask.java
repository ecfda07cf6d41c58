package io.podpath.agent.netns;

/** Work to run on a thread that sits inside a network namespace. */
@FunctionalInterface
public interface NetnsTask<T> {
  T run() throws Exception;
}
