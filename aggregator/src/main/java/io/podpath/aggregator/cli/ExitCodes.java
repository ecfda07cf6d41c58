package io.podpath.aggregator.cli;

import io.grpc.Status;

/** podpath's exit codes. */
public final class ExitCodes {
  /** Every forward verdict DELIVERED (or the command succeeded). */
  public static final int OK = 0;

  /** A verdict is DROPPED, LEFT_CLUSTER or INCONCLUSIVE. */
  public static final int NOT_DELIVERED = 1;

  /** The command line or the request is wrong (unknown pod, bad port...). */
  public static final int USAGE = 2;

  /** podpath cannot reach what it needs (aggregator, agent, API server). */
  public static final int UNREACHABLE = 3;

  private ExitCodes() {}

  static int of(Status.Code code) {
    return switch (code) {
      case INVALID_ARGUMENT, NOT_FOUND, OUT_OF_RANGE -> USAGE;
      default -> UNREACHABLE;
    };
  }
}
