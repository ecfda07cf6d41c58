package io.podpath.agent.kernel;

import java.util.Optional;

/** {@code ip -j route get DST [from SRC] [iif IF] [mark M]} in the node's netns. */
public interface RouteLookup {
  RouteAnswer get(Ipv4 dst, Optional<Ipv4> from, Optional<String> iif, long mark);
}
