package io.podpath.aggregator.alert;

/** Where alerts go. {@link #deliver} blocks until the receiver accepted it, or throws. */
public interface AlertSink {
  String name();

  void deliver(Notification n) throws SinkException;

  /**
   * Whether firing alerts must be re-sent every sweep: Alertmanager resolves an alert that has no
   * endsAt by itself after its resolve_timeout unless it is asserted again.
   */
  default boolean reasserts() {
    return false;
  }

  /** A receiver refused or could not be reached; the queue retries it. */
  final class SinkException extends Exception {
    public SinkException(String message) {
      super(message);
    }

    public SinkException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
