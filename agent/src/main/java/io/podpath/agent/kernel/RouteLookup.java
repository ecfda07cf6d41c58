package io.podpath.agent.kernel;

import java.time.Instant;
import java.util.Optional;

/** {@code ip -j route get DST [from SRC] [iif IF] [mark M]} in the node's netns. */
public interface RouteLookup {
  RouteAnswer get(IpAddr dst, Optional<IpAddr> from, Optional<String> iif, long mark);

  /** The same lookup bounded by the time left until {@code deadline}. Fakes may ignore it. */
  default RouteLookup until(Instant deadline) {
    return this;
  }
}
