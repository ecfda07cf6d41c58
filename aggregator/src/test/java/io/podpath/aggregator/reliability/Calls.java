package io.podpath.aggregator.reliability;

import io.grpc.StatusRuntimeException;

/** The status a gRPC call failed with (it must fail). */
final class Calls {
  private Calls() {}

  static StatusRuntimeException fails(Runnable call) {
    try {
      call.run();
    } catch (StatusRuntimeException e) {
      return e;
    }
    throw new AssertionError("call succeeded");
  }
}
