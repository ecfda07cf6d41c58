package io.podpath.aggregator.api;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.podpath.aggregator.agents.AgentException;
import io.podpath.aggregator.api.live.LiveRefusedException;
import io.podpath.aggregator.sweep.SweepCancelledException;
import io.podpath.aggregator.sweep.UnknownNodeException;
import io.podpath.aggregator.trace.TraceException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one place where typed errors become gRPC statuses. */
final class ErrorMapper {
  private static final Logger LOG = LoggerFactory.getLogger(ErrorMapper.class);

  private ErrorMapper() {}

  static StatusRuntimeException toStatus(Throwable t) {
    Status status;
    if (t instanceof StatusRuntimeException sre) {
      return sre;
    } else if (t instanceof InvalidRequestException) {
      status = Status.INVALID_ARGUMENT;
    } else if (t instanceof LiveRefusedException lr) {
      status = lr.retryAfter().isPresent() ? Status.RESOURCE_EXHAUSTED : Status.FAILED_PRECONDITION;
    } else if (t instanceof NotReadyException) {
      status = Status.UNAVAILABLE;
    } else if (t instanceof NotYetException) {
      status = Status.FAILED_PRECONDITION;
    } else if (t instanceof NotFoundException || t instanceof UnknownNodeException) {
      status = Status.NOT_FOUND;
    } else if (t instanceof TraceException te) {
      status =
          switch (te.kind()) {
            case INVALID_ARGUMENT -> Status.INVALID_ARGUMENT;
            case NOT_FOUND -> Status.NOT_FOUND;
            case FAILED_PRECONDITION -> Status.FAILED_PRECONDITION;
            case CANCELLED -> Status.CANCELLED;
          };
    } else if (t instanceof SweepCancelledException sc) {
      status = sc.deadline() ? Status.DEADLINE_EXCEEDED : Status.CANCELLED;
    } else if (t instanceof AgentException ae) {
      status =
          switch (ae.kind()) {
            case NO_AGENT -> Status.FAILED_PRECONDITION;
            case UNREACHABLE, TIMEOUT -> Status.UNAVAILABLE;
            case NOT_FOUND -> Status.NOT_FOUND;
            case REJECTED -> Status.INVALID_ARGUMENT;
            case FAILED -> Status.INTERNAL;
            case CANCELLED -> Status.CANCELLED;
          };
    } else {
      LOG.error("unexpected error", t);
      status = Status.INTERNAL;
    }
    return status.withDescription(cap(t.getMessage())).withCause(t).asRuntimeException();
  }

  /** A status description travels in an HTTP/2 header: keep it well under the peer's limit. */
  static @Nullable String cap(@Nullable String message) {
    if (message == null || message.length() <= 2000) {
      return message;
    }
    return message.substring(0, 2000) + "…(" + message.length() + " chars)";
  }
}
