package io.podpath.aggregator.web;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;

/**
 * Calls a unary method of the aggregator's own service in process, so the page gets exactly what
 * the CLI gets (same validation, metrics and errors) without a second network hop.
 */
final class Unary {
  private Unary() {}

  static <Q, A> A call(BiConsumer<Q, StreamObserver<A>> method, Q request, long timeoutSeconds) {
    CompletableFuture<A> answer = new CompletableFuture<>();
    method.accept(
        request,
        new StreamObserver<>() {
          @Override
          public void onNext(A value) {
            answer.complete(value);
          }

          @Override
          public void onError(Throwable t) {
            answer.completeExceptionally(t);
          }

          @Override
          public void onCompleted() {
            answer.completeExceptionally(
                Status.INTERNAL.withDescription("no answer").asException());
          }
        });
    try {
      return answer.get(timeoutSeconds, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw Status.CANCELLED.withDescription("interrupted").asRuntimeException();
    } catch (TimeoutException e) {
      throw Status.DEADLINE_EXCEEDED
          .withDescription("no answer within " + timeoutSeconds + " s")
          .asRuntimeException();
    } catch (ExecutionException e) {
      throw Status.fromThrowable(e.getCause()).asRuntimeException();
    }
  }

  /** The HTTP status for a gRPC status. */
  static int http(StatusRuntimeException e) {
    return switch (e.getStatus().getCode()) {
      case INVALID_ARGUMENT, OUT_OF_RANGE -> 400;
      case NOT_FOUND -> 404;
      case FAILED_PRECONDITION -> 409;
      case UNAVAILABLE -> 503;
      case DEADLINE_EXCEEDED -> 504;
      default -> 502;
    };
  }
}
