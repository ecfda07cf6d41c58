package io.podpath.agent.grpc;

import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import io.podpath.agent.errors.DeadlineExceededException;
import io.podpath.agent.errors.FailedPreconditionException;
import io.podpath.agent.errors.InvalidArgumentException;
import io.podpath.agent.errors.NotFoundException;
import io.podpath.agent.errors.PermissionDeniedException;
import io.podpath.agent.errors.ProtocolException;
import io.podpath.agent.errors.ToolFailedException;
import io.podpath.agent.errors.UnavailableException;

/** The one place where the agent's typed errors become gRPC status codes. */
public final class StatusMapper {
  private StatusMapper() {}

  public static Status toStatus(Throwable t) {
    if (t instanceof StatusRuntimeException s) {
      return s.getStatus();
    }
    if (t instanceof StatusException s) {
      return s.getStatus();
    }
    if (t instanceof InvalidArgumentException) {
      return Status.INVALID_ARGUMENT.withDescription(t.getMessage());
    }
    if (t instanceof NotFoundException) {
      return Status.NOT_FOUND.withDescription(t.getMessage());
    }
    if (t instanceof PermissionDeniedException) {
      return Status.PERMISSION_DENIED.withDescription(t.getMessage());
    }
    if (t instanceof FailedPreconditionException) {
      return Status.FAILED_PRECONDITION.withDescription(t.getMessage());
    }
    if (t instanceof UnavailableException) {
      return Status.UNAVAILABLE.withDescription(t.getMessage());
    }
    if (t instanceof DeadlineExceededException) {
      return Status.DEADLINE_EXCEEDED.withDescription(t.getMessage());
    }
    if (t instanceof TooBusyException) {
      return Status.RESOURCE_EXHAUSTED.withDescription(t.getMessage());
    }
    if (t instanceof ToolFailedException || t instanceof ProtocolException) {
      return Status.INTERNAL.withDescription(t.getMessage());
    }
    return Status.INTERNAL
        .withDescription("unexpected " + t.getClass().getSimpleName() + ": " + t.getMessage())
        .withCause(t);
  }

  /** Too many calls in flight on this agent. */
  public static final class TooBusyException extends RuntimeException {
    public TooBusyException(String message) {
      super(message);
    }
  }
}
