package io.podpath.agent.pod;

import io.podpath.agent.errors.AgentException;
import io.podpath.agent.ip.IpLink;
import io.podpath.agent.ip.IpTool;
import io.podpath.agent.netns.NetnsExecutor;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Finds the namespace holding a host veth's peer: the link whose iflink is the veth's ifindex (and,
 * for a "strong" match, whose ifindex is the veth's peer_ifindex). ifindex numbers repeat across
 * namespaces, so the namespace the node's nsid names is tried first and preferred among equals.
 */
final class NetnsLocator {
  private final IpTool ip;

  NetnsLocator(IpTool ip) {
    this.ip = ip;
  }

  record Match(Path netns, IpLink link, boolean strong) {}

  /** The hinted namespace first (cheap); else every candidate, strong matches preferred. */
  Match locate(
      int hostIfindex,
      int peer,
      Optional<Path> hinted,
      long hostInode,
      List<Finding> findings,
      Instant deadline) {
    if (hinted.isPresent()) {
      Match m = matchIn(hinted.get(), hostIfindex, peer, deadline);
      if (m != null && m.strong()) {
        return m;
      }
    }
    Set<Long> exclude = new HashSet<>();
    exclude.add(hostInode);
    List<Match> strong = new ArrayList<>();
    List<Match> weak = new ArrayList<>();
    for (Path ns : NetnsCandidates.list(exclude)) {
      Match m = matchIn(ns, hostIfindex, peer, deadline);
      if (m != null) {
        (m.strong() ? strong : weak).add(m);
      }
    }
    List<Match> best = strong.isEmpty() ? weak : strong;
    if (best.isEmpty()) {
      return null;
    }
    if (best.size() > 1) {
      Optional<Match> byHint =
          best.stream()
              .filter(m -> hinted.isPresent() && sameNs(m.netns(), hinted.get()))
              .findFirst();
      if (byHint.isPresent()) {
        return byHint.get();
      }
      findings.add(
          Finding.warning(
              "netns-ambiguous",
              best.size()
                  + " namespaces have a link with iflink "
                  + hostIfindex
                  + ": "
                  + best.stream().map(m -> m.netns().toString()).toList()));
    }
    return best.get(0);
  }

  private Match matchIn(Path ns, int hostIfindex, int peer, Instant deadline) {
    List<IpLink> links;
    try {
      links = ip.addrs(Optional.of(ns), PodLocator.left(deadline));
    } catch (AgentException e) {
      return null; // gone, or not a namespace we can enter
    }
    for (IpLink l : links) {
      if (l.linkIndex().isPresent()
          && l.linkIndex().getAsInt() == hostIfindex
          && l.linkNetnsid().isPresent()) {
        return new Match(ns, l, peer > 0 && l.ifindex() == peer);
      }
    }
    return null;
  }

  private static boolean sameNs(Path a, Path b) {
    try {
      return NetnsExecutor.inode(a) == NetnsExecutor.inode(b);
    } catch (IOException e) {
      return false;
    }
  }
}
