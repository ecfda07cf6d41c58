package io.podpath.agent.errors;

/** The work did not finish within its deadline (the call's, or a command's timeout). */
public class DeadlineExceededException extends AgentException {
  public DeadlineExceededException(String message) {
    super(message);
  }
}
