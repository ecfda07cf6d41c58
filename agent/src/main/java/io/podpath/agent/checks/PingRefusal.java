package io.podpath.agent.checks;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * iputils ping's words when it sends nothing because of the destination: the kernel's refusal to
 * connect (no route, no source address: "ping: connect: Network is unreachable") or ping's own
 * refusal of a broadcast address. Anything else ping prints without statistics stays an error.
 */
final class PingRefusal {
  private static final Pattern CONNECT =
      Pattern.compile(
          "(?m)^ping: connect: (Network is unreachable|No route to host"
              + "|Cannot assign requested address|Permission denied)$");
  private static final Pattern BROADCAST =
      Pattern.compile("(?m)^ping: Do you want to ping broadcast\\?");

  private PingRefusal() {}

  static Optional<String> of(String text) {
    Matcher m = CONNECT.matcher(text);
    if (m.find()) {
      return Optional.of("the pod's kernel refused it: " + m.group(1));
    }
    if (BROADCAST.matcher(text).find()) {
      return Optional.of("the destination is a broadcast address of the pod's network");
    }
    return Optional.empty();
  }
}
