package io.podpath.testkit;

/**
 * What a real probe saw: {@code delivered} (with the responder's reply for TCP/UDP) or {@code
 * failed: reason}.
 */
public record ProbeResult(boolean delivered, String reason, String reply, String raw) {

  static ProbeResult parse(int exitCode, String stdout) {
    String reply = "";
    String reason = "";
    boolean sawDelivered = false;
    for (String line : stdout.split("\n")) {
      if (line.equals("delivered")) {
        sawDelivered = true;
      } else if (line.startsWith("reply: ")) {
        reply = line.substring("reply: ".length());
      } else if (line.startsWith("failed: ")) {
        reason = line.substring("failed: ".length());
      }
    }
    boolean delivered = exitCode == 0 && sawDelivered;
    if (!delivered && reason.isEmpty()) {
      reason = "probe exited " + exitCode + ": " + stdout.strip();
    }
    return new ProbeResult(delivered, reason, reply, stdout);
  }
}
